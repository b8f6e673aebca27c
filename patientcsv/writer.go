package patientcsv

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/pcnhub/pcnhub"
)

// Writer writes patients in the format read by Reader: every column, in
// the order of Columns, with LF line ends and no byte order mark. It does
// not check the values it writes beyond what the format can hold; a
// patient read by a Reader is always written so that it reads back equal.
type Writer struct {
	cw          *csv.Writer
	wroteHeader bool
	rec         [numCols]string
}

// NewWriter returns a Writer writing to w. The header is written with the
// first patient, or by Flush when there is none.
func NewWriter(w io.Writer) *Writer {
	return &Writer{cw: csv.NewWriter(w)}
}

// Write writes one patient. It returns an EINVALID *pcnhub.Error, and
// writes nothing, when the patient has something the format cannot hold:
// more than three address lines, or contact points other than one home
// phone, one mobile phone and one e-mail address. Given names are written
// separated by spaces, so a given name that itself holds a space reads
// back as two. Errors writing to the underlying writer may only be
// reported by a later Write or by Flush.
func (w *Writer) Write(p *pcnhub.Patient) error {
	rec := &w.rec
	clear(rec[:])
	if len(p.Address.Lines) > 3 {
		return pcnhub.Errorf(pcnhub.EINVALID, "patient %s has %d address lines; the CSV holds at most 3", p.NHSNumber.Masked(), len(p.Address.Lines))
	}
	for _, t := range p.Telecom {
		col := -1
		switch {
		case t.System == "phone" && t.Use == "home":
			col = colHomePhone
		case t.System == "phone" && t.Use == "mobile":
			col = colMobile
		case t.System == "email" && (t.Use == "home" || t.Use == ""):
			col = colEmail
		}
		if col < 0 {
			return pcnhub.Errorf(pcnhub.EINVALID, "patient %s has a %s/%s contact point; the CSV holds only a home phone, a mobile phone and an e-mail address", p.NHSNumber.Masked(), clip(t.System), clip(t.Use))
		}
		if rec[col] != "" {
			return pcnhub.Errorf(pcnhub.EINVALID, "patient %s has more than one %s; the CSV holds only one", p.NHSNumber.Masked(), Columns[col])
		}
		rec[col] = t.Value
	}

	rec[colNHS] = string(p.NHSNumber)
	rec[colFamily] = p.Name.Family
	rec[colGiven] = strings.Join(p.Name.Given, " ")
	rec[colTitle] = p.Name.Prefix
	rec[colBirth] = p.BirthDate.String()
	rec[colGender] = string(p.Gender)
	for i, l := range p.Address.Lines {
		rec[colAddr1+i] = l
	}
	rec[colCity] = p.Address.City
	rec[colDistrict] = p.Address.District
	rec[colPostcode] = p.Address.Postcode
	rec[colLanguage] = p.Language
	rec[colInterpreter] = formatBool(p.InterpreterRequired)
	rec[colRegType] = string(p.Registration.Type)
	rec[colRegStatus] = string(p.Registration.Status)
	rec[colRegDate] = p.Registration.Start.String()
	rec[colRegEnd] = p.Registration.End.String()
	rec[colBranch] = string(p.Registration.PreferredBranch)
	rec[colSensitive] = formatBool(p.Sensitive)
	rec[colDeceased] = p.DeceasedDate.String()
	rec[colSuperseded] = string(p.SupersededBy)
	rec[colMerged] = string(p.MergedInto)
	rec[colInTransit] = formatBool(p.InTransit)
	rec[colDissent] = formatBool(p.DissentFromSharing)

	if err := w.writeHeader(); err != nil {
		return err
	}
	return w.cw.Write(rec[:])
}

func (w *Writer) writeHeader() error {
	if w.wroteHeader {
		return nil
	}
	w.wroteHeader = true
	return w.cw.Write(Columns)
}

// Flush writes any buffered data (and the header, when nothing has been
// written yet) to the underlying writer, and returns the first error met
// while writing.
func (w *Writer) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.cw.Flush()
	return w.cw.Error()
}

func formatBool(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
