package pcnhub

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// AuditEvent records one access to patient or organisation data: who
// asked, for what, about whom, and how it ended. Events form a hash
// chain: each Hash covers the event and the previous event's hash, so
// changing or deleting a past event breaks every hash after it.
// Detail must never hold clinical content.
type AuditEvent struct {
	Seq          int64
	At           time.Time
	TraceID      string
	Action       string // e.g. "import.patients", "gpconnect.read:patient-1"
	Actor        string // user or system that acted
	OrgODS       ODSCode
	RequesterODS ODSCode
	Practitioner string // SDS user id of the requesting practitioner
	Device       string
	NHSNumber    NHSNumber // the patient concerned, if any
	Outcome      string    // "ok", or an error code / Spine code
	Detail       string    // short, non-clinical (counts, file names)
	PrevHash     string
	Hash         string
}

// ComputeHash returns the chain hash of e given e.PrevHash: SHA-256 over
// the previous hash and every field, unit-separated.
func (e *AuditEvent) ComputeHash() string {
	parts := []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.UnixMicro(), 10),
		e.TraceID, e.Action, e.Actor, string(e.OrgODS), string(e.RequesterODS), e.Practitioner, e.Device,
		string(e.NHSNumber), e.Outcome, e.Detail}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(sum[:])
}
