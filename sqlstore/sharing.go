package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/spine"
)

// ---- Endpoint directory

// PutEndpoint adds or replaces the endpoint of an organisation this
// deployment does not host. EINVALID for a bad endpoint or a hosted
// organisation (whose endpoints are this deployment's own).
func (s *Store) PutEndpoint(ctx context.Context, e *spine.Endpoint) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if org, err := s.OrganisationByODS(ctx, e.ODS); err == nil && org.Hosted {
		return pcnhub.Errorf(pcnhub.EINVALID, "%s is hosted here; its endpoints are this server's own", e.ODS)
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO endpoints (ods, service, url, asid, updated_us) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (ods, service) DO UPDATE SET url = excluded.url, asid = excluded.asid, updated_us = excluded.updated_us`),
		string(e.ODS), string(e.Service), e.URL, string(e.ASID), s.clock.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("put endpoint: %w", err)
	}
	return nil
}

// DeleteEndpoint removes a remote endpoint. ENOTFOUND.
func (s *Store) DeleteEndpoint(ctx context.Context, ods pcnhub.ODSCode, service spine.Service) error {
	r, err := s.db.ExecContext(ctx, s.q(`DELETE FROM endpoints WHERE ods = ? AND service = ?`), string(ods), string(service))
	if err != nil {
		return fmt.Errorf("delete endpoint: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return pcnhub.Errorf(pcnhub.ENOTFOUND, "no %s endpoint for %s", service, ods)
	}
	return nil
}

// Endpoints lists the directory: every hosted organisation's GP Connect
// endpoint on base (this deployment's scheme and host), then the remote
// ones, by ODS code.
func (s *Store) Endpoints(ctx context.Context, base string) ([]spine.Endpoint, error) {
	orgs, err := s.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	var out []spine.Endpoint
	for _, o := range orgs {
		if o.Hosted {
			out = append(out, spine.Endpoint{ODS: o.ODS, Service: spine.ServiceGPConnect,
				URL: spine.HostedRoot(base, o.ODS, spine.ServiceGPConnect), ASID: o.ASID, Hosted: true})
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT ods, service, url, asid, updated_us FROM endpoints ORDER BY ods, service`)
	if err != nil {
		return nil, fmt.Errorf("endpoints: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e spine.Endpoint
		var ods, service, asid string
		var updated int64
		if err := rows.Scan(&ods, &service, &e.URL, &asid, &updated); err != nil {
			return nil, err
		}
		e.ODS, e.Service, e.ASID, e.Updated = pcnhub.ODSCode(ods), spine.Service(service), pcnhub.ASID(asid), time.UnixMicro(updated).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// ResolveEndpoint is the SDS lookup: where organisation ods answers the
// service. A hosted organisation answers on base; another needs a
// directory entry. ENOTFOUND otherwise.
func (s *Store) ResolveEndpoint(ctx context.Context, ods pcnhub.ODSCode, service spine.Service, base string) (*spine.Endpoint, error) {
	if org, err := s.OrganisationByODS(ctx, ods); err == nil && org.Hosted {
		return &spine.Endpoint{ODS: ods, Service: service, URL: spine.HostedRoot(base, ods, service), ASID: org.ASID, Hosted: true}, nil
	}
	var e spine.Endpoint
	var asid string
	var updated int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT url, asid, updated_us FROM endpoints WHERE ods = ? AND service = ?`),
		string(ods), string(service)).Scan(&e.URL, &asid, &updated)
	if err != nil {
		return nil, notFound(err, "the directory has no %s endpoint for %s", service, ods)
	}
	e.ODS, e.Service, e.ASID, e.Updated = ods, service, pcnhub.ASID(asid), time.UnixMicro(updated).UTC()
	return &e, nil
}

// ---- Data sharing agreements

// AddAgreement stores an agreement (its ID is set) and audits it.
// EINVALID for a bad agreement; ENOTFOUND when either organisation is
// unknown.
func (s *Store) AddAgreement(ctx context.Context, a *spine.Agreement) error {
	if err := a.Validate(); err != nil {
		return err
	}
	for _, ods := range []pcnhub.ODSCode{a.Provider, a.Consumer} {
		if _, err := s.OrganisationByODS(ctx, ods); err != nil {
			return err
		}
	}
	if a.Created.IsZero() {
		a.Created = s.clock.Now()
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO sharing_agreements (provider, consumer, capability, from_date, until_date,
		reference, created_us, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		string(a.Provider), string(a.Consumer), string(a.Capability), a.From.String(), a.Until.String(), a.Reference,
		a.Created.UnixMicro(), a.CreatedBy).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("add agreement: %w", err)
	}
	return s.AppendAudit(ctx, &pcnhub.AuditEvent{At: s.clock.Now(), Action: "agreement.add", Actor: a.CreatedBy,
		OrgODS: a.Provider, RequesterODS: a.Consumer, Outcome: "ok", Detail: fmt.Sprintf("agreement %d: %s", a.ID, a.String())})
}

// EndAgreement sets the last day an agreement is in force (an agreement is
// never deleted: the audit trail refers to it). ENOTFOUND; EINVALID when
// until is before the agreement starts.
func (s *Store) EndAgreement(ctx context.Context, id int64, until pcnhub.Date, actor string) error {
	as, err := s.agreementsWhere(ctx, `id = ?`, id)
	if err != nil {
		return err
	}
	if len(as) == 0 {
		return pcnhub.Errorf(pcnhub.ENOTFOUND, "no agreement %d", id)
	}
	a := as[0]
	a.Until = until
	if err := a.Validate(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.q(`UPDATE sharing_agreements SET until_date = ? WHERE id = ?`), until.String(), id); err != nil {
		return fmt.Errorf("end agreement: %w", err)
	}
	return s.AppendAudit(ctx, &pcnhub.AuditEvent{At: s.clock.Now(), Action: "agreement.end", Actor: actor,
		OrgODS: a.Provider, RequesterODS: a.Consumer, Outcome: "ok", Detail: fmt.Sprintf("agreement %d: %s", a.ID, a.String())})
}

// Agreements lists agreements, optionally only those an organisation is a
// party to (either side), by provider, consumer and capability.
func (s *Store) Agreements(ctx context.Context, party pcnhub.ODSCode) ([]spine.Agreement, error) {
	if party == "" {
		return s.agreementsWhere(ctx, `1 = 1`)
	}
	return s.agreementsWhere(ctx, `provider = ? OR consumer = ?`, string(party), string(party))
}

// SharingCapabilities returns what provider shares with consumer on day d
// under the agreements in force.
func (s *Store) SharingCapabilities(ctx context.Context, provider, consumer pcnhub.ODSCode, d pcnhub.Date) ([]spine.Capability, error) {
	as, err := s.agreementsWhere(ctx, `provider = ? AND consumer = ? AND from_date <= ? AND (until_date = '' OR until_date >= ?)`,
		string(provider), string(consumer), d.String(), d.String())
	if err != nil {
		return nil, err
	}
	var out []spine.Capability
	for _, a := range as {
		out = append(out, a.Capability)
	}
	return out, nil
}

func (s *Store) agreementsWhere(ctx context.Context, where string, args ...any) ([]spine.Agreement, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, provider, consumer, capability, from_date, until_date, reference,
		created_us, created_by FROM sharing_agreements WHERE `+where+` ORDER BY provider, consumer, capability, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	defer rows.Close()
	var out []spine.Agreement
	for rows.Next() {
		var a spine.Agreement
		var provider, consumer, capability, from, until string
		var created int64
		if err := rows.Scan(&a.ID, &provider, &consumer, &capability, &from, &until, &a.Reference, &created, &a.CreatedBy); err != nil {
			return nil, err
		}
		a.Provider, a.Consumer, a.Capability = pcnhub.ODSCode(provider), pcnhub.ODSCode(consumer), spine.Capability(capability)
		a.From, _ = pcnhub.ParseDate(from)
		if until != "" {
			a.Until, _ = pcnhub.ParseDate(until)
		}
		a.Created = time.UnixMicro(created).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}
