package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/structimport"
)

// cmdRecord is "pcnhub record import": a GP Connect Access Record
// Structured Bundle (as $gpc.getstructuredrecord answers it) becomes the
// clinical record of a patient registered at a practice, replacing what
// was stored. The patient must already be registered there (pcnhub import
// patients); the Bundle's NHS number decides who.
func cmdRecord(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usageError("usage: pcnhub record import --practice ODS [--dry-run] FILE.json|FILE.xml")
	}
	f := newFlags("record import", "record import --practice ODS [flags] FILE.json|FILE.xml", stderr)
	practice := f.String("practice", "", "ODS code of the practice that holds the record (required)")
	dryRun := f.Bool("dry-run", false, "read and check the Bundle, report what it holds, store nothing")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	if *practice == "" || f.NArg() != 1 {
		f.Usage()
		return usageError("usage: pcnhub record import --practice ODS [--dry-run] FILE.json|FILE.xml")
	}
	ods, err := pcnhub.ParseODSCode(*practice)
	if err != nil {
		return err
	}
	path := f.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	format := fhir.JSON
	if strings.EqualFold(filepath.Ext(path), ".xml") {
		format = fhir.XML
	}
	res, err := fhir.Unmarshal(format, data)
	if err != nil {
		return pcnhub.Errorf(pcnhub.EINVALID, "%s is not a FHIR STU3 resource: %v", filepath.Base(path), err)
	}
	b, ok := res.(*fhir.Bundle)
	if !ok {
		return pcnhub.Errorf(pcnhub.EINVALID, "%s holds a %s, not a Bundle", filepath.Base(path), res.ResourceType())
	}
	rec, rep, err := structimport.Import(b)
	if err != nil {
		return err
	}
	rec.PracticeODS = ods
	if err := rec.Validate(); err != nil {
		return pcnhub.Errorf(pcnhub.EINVALID, "the record read from %s is not consistent: %v", filepath.Base(path), err)
	}
	fmt.Fprint(stdout, rep.String())
	if *dryRun {
		fmt.Fprintf(stdout, "dry run: %d clinical items for NHS number %s; nothing stored\n", rec.Items(), rec.NHSNumber)
		return nil
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	org, err := store.OrganisationByODS(ctx, ods)
	if err != nil {
		return err
	}
	pt, err := store.PatientByNHSNumber(ctx, org.ID, rec.NHSNumber)
	if err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
			return pcnhub.Errorf(pcnhub.ENOTFOUND, "no patient with NHS number %s is registered at %s: register them first (pcnhub import patients)", rec.NHSNumber, ods)
		}
		return err
	}
	if err := store.PutClinicalRecord(ctx, pt.ID, rec); err != nil {
		return err
	}
	if err := store.AppendAudit(ctx, &pcnhub.AuditEvent{Action: "record.import", Actor: actor(), OrgODS: ods,
		NHSNumber: rec.NHSNumber, Outcome: "ok", Detail: fmt.Sprintf("%d items from %s", rec.Items(), filepath.Base(path))}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "stored %d clinical items for NHS number %s at %s\n", rec.Items(), rec.NHSNumber, ods)
	return nil
}
