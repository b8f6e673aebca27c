package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcnhub/pcnhub"
)

var peopleTable = &bulkTable{
	name: "people",
	key:  []string{"nhs_number"},
	compared: []string{"prefix", "given", "family", "birth_date", "gender", "address_lines", "city", "district",
		"postcode", "telecom", "gp_ods", "sensitive", "deceased_date", "superseded_by", "invalidated"},
	stamped: "updated_us",
}

// PeopleWriter upserts many entries of the PDS-like register in one
// transaction, keyed by NHS number.
type PeopleWriter struct {
	w   *bulkWriter
	now int64
}

// BeginPeopleWrite starts a bulk upsert into the demographic register.
func (s *Store) BeginPeopleWrite(ctx context.Context) (*PeopleWriter, error) {
	w, err := s.newBulkWriter(ctx, peopleTable)
	if err != nil {
		return nil, fmt.Errorf("begin register write: %w", err)
	}
	return &PeopleWriter{w: w, now: s.clock.Now().UnixMicro()}, nil
}

// Add queues one person.
func (pw *PeopleWriter) Add(ctx context.Context, p *pcnhub.Person) error {
	return pw.w.add(ctx, string(p.NHSNumber),
		string(p.NHSNumber), p.Name.Prefix, joinWords(p.Name.Given), p.Name.Family, p.BirthDate.String(),
		string(p.Gender), joinLines(p.Address.Lines), p.Address.City, p.Address.District, p.Address.Postcode,
		encodeTelecom(p.Telecom), string(p.GPPractice), p.Sensitive, p.DeceasedDate.String(),
		string(p.SupersededBy), p.Invalidated, pw.now)
}

// Commit writes the last batch and commits.
func (pw *PeopleWriter) Commit(ctx context.Context) (UpsertStats, error) { return pw.w.commit(ctx) }

// Rollback abandons the write; safe after Commit.
func (pw *PeopleWriter) Rollback() error { return pw.w.rollback() }

const personColumns = `nhs_number, prefix, given, family, birth_date, gender, address_lines, city, district,
	postcode, telecom, gp_ods, sensitive, deceased_date, superseded_by, invalidated`

func scanPerson(row interface{ Scan(...any) error }) (*pcnhub.Person, error) {
	var p pcnhub.Person
	var nhs, given, birth, gender, lines, telecom, gp, deceased, superseded string
	err := row.Scan(&nhs, &p.Name.Prefix, &given, &p.Name.Family, &birth, &gender, &lines, &p.Address.City,
		&p.Address.District, &p.Address.Postcode, &telecom, &gp, &p.Sensitive, &deceased, &superseded, &p.Invalidated)
	if err != nil {
		return nil, err
	}
	p.NHSNumber, p.Name.Given, p.Gender = pcnhub.NHSNumber(nhs), splitWords(given), pcnhub.Gender(gender)
	p.Address.Lines, p.GPPractice, p.SupersededBy = splitLines(lines), pcnhub.ODSCode(gp), pcnhub.NHSNumber(superseded)
	if p.Telecom, err = decodeTelecom(telecom); err != nil {
		return nil, err
	}
	if p.BirthDate, err = parseDateColumn(birth); err != nil {
		return nil, err
	}
	if p.DeceasedDate, err = parseDateColumn(deceased); err != nil {
		return nil, err
	}
	return &p, nil
}

// PersonByNHSNumber returns the register entry for an NHS number as
// stored (no trace rules applied). ENOTFOUND.
func (s *Store) PersonByNHSNumber(ctx context.Context, nhs pcnhub.NHSNumber) (*pcnhub.Person, error) {
	p, err := scanPerson(s.db.QueryRowContext(ctx, s.q(`SELECT `+personColumns+` FROM people WHERE nhs_number = ?`), string(nhs)))
	if err != nil {
		return nil, notFound(err, "NHS number not found in the demographic register")
	}
	return p, nil
}

// PeopleBornOn returns the register entries with that birth date whose
// family name equals family, or starts with it when prefix is true
// (case-insensitive). At most limit entries, by NHS number.
func (s *Store) PeopleBornOn(ctx context.Context, birth pcnhub.Date, family string, prefix bool, limit int) ([]*pcnhub.Person, error) {
	family = strings.ToLower(family)
	cond := `lower(family) = ?`
	if prefix {
		cond = `lower(family) LIKE ? ESCAPE '\'`
		family = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(family) + "%"
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+personColumns+` FROM people
		WHERE birth_date = ? AND `+cond+` ORDER BY nhs_number LIMIT ?`), birth.String(), family, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*pcnhub.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
