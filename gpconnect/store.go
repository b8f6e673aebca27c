package gpconnect

import (
	"context"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/spine"
)

// Store is what the provider needs from storage (sqlstore implements it).
type Store interface {
	OrganisationByODS(ctx context.Context, ods pcnhub.ODSCode) (*pcnhub.Organisation, error)
	OrganisationByID(ctx context.Context, id int64) (*pcnhub.Organisation, error)
	PatientByID(ctx context.Context, id int64) (*pcnhub.Patient, error)
	PatientByNHSNumber(ctx context.Context, orgID int64, nhs pcnhub.NHSNumber) (*pcnhub.Patient, error)
	UpsertPatient(ctx context.Context, p *pcnhub.Patient) (*pcnhub.Patient, error)
	PractitionerByID(ctx context.Context, id int64) (*pcnhub.Practitioner, error)
	PractitionersByID(ctx context.Context, ids []int64) (map[int64]*pcnhub.Practitioner, error)
	PractitionersBySDSUserIDAnywhere(ctx context.Context, sdsUserID string) ([]*pcnhub.Practitioner, error)
	LocationByID(ctx context.Context, id int64) (*pcnhub.Location, error)
	PersonByNHSNumber(ctx context.Context, nhs pcnhub.NHSNumber) (*pcnhub.Person, error)
	PeopleBornOn(ctx context.Context, birth pcnhub.Date, family string, prefix bool, limit int) ([]*pcnhub.Person, error)
	// GPConnectPractice returns a practice by ODS code with its
	// practice-wide switch and the named capability's; ENOTFOUND.
	GPConnectPractice(ctx context.Context, ods pcnhub.ODSCode, capability string) (org *pcnhub.Organisation, global, capOn bool, err error)
	AppendAudit(ctx context.Context, e *pcnhub.AuditEvent) error
	// SharingCapabilities returns what provider shares with consumer on
	// day d under the data sharing agreements in force.
	SharingCapabilities(ctx context.Context, provider, consumer pcnhub.ODSCode, d pcnhub.Date) ([]spine.Capability, error)
	// GPConnectSwitches returns every switch of an organisation by name
	// (capabilities and Structured clinical areas).
	GPConnectSwitches(ctx context.Context, orgID int64) (map[string]bool, error)
	// ClinicalRecord returns a patient record's clinical record; ENOTFOUND
	// when none is stored.
	ClinicalRecord(ctx context.Context, patientID int64) (*record.Record, error)
	ScheduleStore
}
