package fhir

// Resources of FHIR STU3 used by GP Connect Access Record Structured 1.6
// (allergies, medications, consultations, diary entries, immunisations,
// investigations, problems), with every STU3 element in STU3 order, and the
// data types they need that datatypes.go lacks. HealthcareService and
// QuestionnaireResponse are here because structured records reference them
// (investigation performers, consultation questionnaires).
//
// STU3 choice elements that are required as a whole (MedicationStatement and
// MedicationRequest medication[x]) are not marked req: the tag can only
// require one alternative. TestElementsMatchSchema checks this file against
// the STU3 JSON schema.

// AllergyIntolerance is a STU3 AllergyIntolerance.
type AllergyIntolerance struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier         []Identifier                 `fhir:"identifier"`
	ClinicalStatus     string                       `fhir:"clinicalStatus,code,enum=active|inactive|resolved"`
	VerificationStatus string                       `fhir:"verificationStatus,code,enum=unconfirmed|confirmed|refuted|entered-in-error,req"`
	Type               string                       `fhir:"type,code,enum=allergy|intolerance"`
	Category           []string                     `fhir:"category,code,enum=food|medication|environment|biologic"`
	Criticality        string                       `fhir:"criticality,code,enum=low|high|unable-to-assess"`
	Code               *CodeableConcept             `fhir:"code"`
	Patient            *Reference                   `fhir:"patient,req"`
	OnsetDateTime      DateTime                     `fhir:"onsetDateTime,choice=onset"`
	OnsetAge           *Age                         `fhir:"onsetAge,choice=onset"`
	OnsetPeriod        *Period                      `fhir:"onsetPeriod,choice=onset"`
	OnsetRange         *Range                       `fhir:"onsetRange,choice=onset"`
	OnsetString        string                       `fhir:"onsetString,choice=onset"`
	AssertedDate       DateTime                     `fhir:"assertedDate"`
	Recorder           *Reference                   `fhir:"recorder"`
	Asserter           *Reference                   `fhir:"asserter"`
	LastOccurrence     DateTime                     `fhir:"lastOccurrence"`
	Note               []Annotation                 `fhir:"note"`
	Reaction           []AllergyIntoleranceReaction `fhir:"reaction"`
}

// Age is a STU3 Age: a duration of time since birth, shaped like Quantity.
type Age struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`

	Value      Decimal `fhir:"value"`
	Comparator string  `fhir:"comparator,code,enum=<|<=|>=|>"`
	Unit       string  `fhir:"unit"`
	System     string  `fhir:"system,uri"`
	Code       string  `fhir:"code,code"`
}

// AllergyIntoleranceReaction is AllergyIntolerance.reaction.
type AllergyIntoleranceReaction struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Substance     *CodeableConcept  `fhir:"substance"`
	Manifestation []CodeableConcept `fhir:"manifestation,req"`
	Description   string            `fhir:"description"`
	Onset         DateTime          `fhir:"onset"`
	Severity      string            `fhir:"severity,code,enum=mild|moderate|severe"`
	ExposureRoute *CodeableConcept  `fhir:"exposureRoute"`
	Note          []Annotation      `fhir:"note"`
}

// Medication is a STU3 Medication.
type Medication struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Code             *CodeableConcept       `fhir:"code"`
	Status           string                 `fhir:"status,code,enum=active|inactive|entered-in-error"`
	IsBrand          *bool                  `fhir:"isBrand"`
	IsOverTheCounter *bool                  `fhir:"isOverTheCounter"`
	Manufacturer     *Reference             `fhir:"manufacturer"`
	Form             *CodeableConcept       `fhir:"form"`
	Ingredient       []MedicationIngredient `fhir:"ingredient"`
	Package          *MedicationPackage     `fhir:"package"`
	Image            []Attachment           `fhir:"image"`
}

// MedicationIngredient is Medication.ingredient.
type MedicationIngredient struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	ItemCodeableConcept *CodeableConcept `fhir:"itemCodeableConcept,choice=item"`
	ItemReference       *Reference       `fhir:"itemReference,choice=item"`
	IsActive            *bool            `fhir:"isActive"`
	Amount              *Ratio           `fhir:"amount"`
}

// MedicationPackage is Medication.package.
type MedicationPackage struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Container *CodeableConcept    `fhir:"container"`
	Content   []MedicationContent `fhir:"content"`
	Batch     []MedicationBatch   `fhir:"batch"`
}

// MedicationContent is Medication.package.content.
type MedicationContent struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	ItemCodeableConcept *CodeableConcept `fhir:"itemCodeableConcept,choice=item"`
	ItemReference       *Reference       `fhir:"itemReference,choice=item"`
	Amount              *Quantity        `fhir:"amount"`
}

// MedicationBatch is Medication.package.batch.
type MedicationBatch struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	LotNumber      string   `fhir:"lotNumber"`
	ExpirationDate DateTime `fhir:"expirationDate"`
}

// MedicationStatement is a STU3 MedicationStatement.
type MedicationStatement struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier                []Identifier      `fhir:"identifier"`
	BasedOn                   []Reference       `fhir:"basedOn"`
	PartOf                    []Reference       `fhir:"partOf"`
	Context                   *Reference        `fhir:"context"`
	Status                    string            `fhir:"status,code,enum=active|completed|entered-in-error|intended|stopped|on-hold,req"`
	Category                  *CodeableConcept  `fhir:"category"`
	MedicationCodeableConcept *CodeableConcept  `fhir:"medicationCodeableConcept,choice=medication"`
	MedicationReference       *Reference        `fhir:"medicationReference,choice=medication"`
	EffectiveDateTime         DateTime          `fhir:"effectiveDateTime,choice=effective"`
	EffectivePeriod           *Period           `fhir:"effectivePeriod,choice=effective"`
	DateAsserted              DateTime          `fhir:"dateAsserted"`
	InformationSource         *Reference        `fhir:"informationSource"`
	Subject                   *Reference        `fhir:"subject,req"`
	DerivedFrom               []Reference       `fhir:"derivedFrom"`
	Taken                     string            `fhir:"taken,code,enum=y|n|unk|na,req"`
	ReasonNotTaken            []CodeableConcept `fhir:"reasonNotTaken"`
	ReasonCode                []CodeableConcept `fhir:"reasonCode"`
	ReasonReference           []Reference       `fhir:"reasonReference"`
	Note                      []Annotation      `fhir:"note"`
	Dosage                    []Dosage          `fhir:"dosage"`
}

// Dosage is how a medication is or was to be taken.
type Dosage struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`

	Sequence                 *int              `fhir:"sequence"`
	Text                     string            `fhir:"text"`
	AdditionalInstruction    []CodeableConcept `fhir:"additionalInstruction"`
	PatientInstruction       string            `fhir:"patientInstruction"`
	Timing                   *Timing           `fhir:"timing"`
	AsNeededBoolean          *bool             `fhir:"asNeededBoolean,choice=asNeeded"`
	AsNeededCodeableConcept  *CodeableConcept  `fhir:"asNeededCodeableConcept,choice=asNeeded"`
	Site                     *CodeableConcept  `fhir:"site"`
	Route                    *CodeableConcept  `fhir:"route"`
	Method                   *CodeableConcept  `fhir:"method"`
	DoseRange                *Range            `fhir:"doseRange,choice=dose"`
	DoseQuantity             *Quantity         `fhir:"doseQuantity,choice=dose"`
	MaxDosePerPeriod         *Ratio            `fhir:"maxDosePerPeriod"`
	MaxDosePerAdministration *Quantity         `fhir:"maxDosePerAdministration"`
	MaxDosePerLifetime       *Quantity         `fhir:"maxDosePerLifetime"`
	RateRatio                *Ratio            `fhir:"rateRatio,choice=rate"`
	RateRange                *Range            `fhir:"rateRange,choice=rate"`
	RateQuantity             *Quantity         `fhir:"rateQuantity,choice=rate"`
}

// Timing is an event that may occur multiple times.
type Timing struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`

	Event  []DateTime       `fhir:"event"`
	Repeat *TimingRepeat    `fhir:"repeat"`
	Code   *CodeableConcept `fhir:"code"`
}

// TimingRepeat is Timing.repeat.
type TimingRepeat struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	BoundsDuration *Duration `fhir:"boundsDuration,choice=bounds"`
	BoundsRange    *Range    `fhir:"boundsRange,choice=bounds"`
	BoundsPeriod   *Period   `fhir:"boundsPeriod,choice=bounds"`
	Count          *int      `fhir:"count"`
	CountMax       *int      `fhir:"countMax"`
	Duration       Decimal   `fhir:"duration"`
	DurationMax    Decimal   `fhir:"durationMax"`
	DurationUnit   string    `fhir:"durationUnit,code,enum=s|min|h|d|wk|mo|a"`
	Frequency      *int      `fhir:"frequency"`
	FrequencyMax   *int      `fhir:"frequencyMax"`
	Period         Decimal   `fhir:"period"`
	PeriodMax      Decimal   `fhir:"periodMax"`
	PeriodUnit     string    `fhir:"periodUnit,code,enum=s|min|h|d|wk|mo|a"`
	DayOfWeek      []string  `fhir:"dayOfWeek,code"`
	TimeOfDay      []string  `fhir:"timeOfDay,time"`
	When           []string  `fhir:"when,code,enum=MORN|AFT|EVE|NIGHT|PHS|HS|WAKE|C|CM|CD|CV|AC|ACM|ACD|ACV|PC|PCM|PCD|PCV"`
	Offset         *int      `fhir:"offset,unsignedInt"`
}

// Duration is a STU3 Duration: a length of time, shaped like Quantity.
type Duration struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`

	Value      Decimal `fhir:"value"`
	Comparator string  `fhir:"comparator,code,enum=<|<=|>=|>"`
	Unit       string  `fhir:"unit"`
	System     string  `fhir:"system,uri"`
	Code       string  `fhir:"code,code"`
}

// MedicationRequest is a STU3 MedicationRequest.
type MedicationRequest struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier                []Identifier                      `fhir:"identifier"`
	Definition                []Reference                       `fhir:"definition"`
	BasedOn                   []Reference                       `fhir:"basedOn"`
	GroupIdentifier           *Identifier                       `fhir:"groupIdentifier"`
	Status                    string                            `fhir:"status,code,enum=active|on-hold|cancelled|completed|entered-in-error|stopped|draft|unknown"`
	Intent                    string                            `fhir:"intent,code,enum=proposal|plan|order|instance-order,req"`
	Category                  *CodeableConcept                  `fhir:"category"`
	Priority                  string                            `fhir:"priority,code,enum=routine|urgent|stat|asap"`
	MedicationCodeableConcept *CodeableConcept                  `fhir:"medicationCodeableConcept,choice=medication"`
	MedicationReference       *Reference                        `fhir:"medicationReference,choice=medication"`
	Subject                   *Reference                        `fhir:"subject,req"`
	Context                   *Reference                        `fhir:"context"`
	SupportingInformation     []Reference                       `fhir:"supportingInformation"`
	AuthoredOn                DateTime                          `fhir:"authoredOn"`
	Requester                 *MedicationRequestRequester       `fhir:"requester"`
	Recorder                  *Reference                        `fhir:"recorder"`
	ReasonCode                []CodeableConcept                 `fhir:"reasonCode"`
	ReasonReference           []Reference                       `fhir:"reasonReference"`
	Note                      []Annotation                      `fhir:"note"`
	DosageInstruction         []Dosage                          `fhir:"dosageInstruction"`
	DispenseRequest           *MedicationRequestDispenseRequest `fhir:"dispenseRequest"`
	Substitution              *MedicationRequestSubstitution    `fhir:"substitution"`
	PriorPrescription         *Reference                        `fhir:"priorPrescription"`
	DetectedIssue             []Reference                       `fhir:"detectedIssue"`
	EventHistory              []Reference                       `fhir:"eventHistory"`
}

// MedicationRequestRequester is MedicationRequest.requester.
type MedicationRequestRequester struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Agent      *Reference `fhir:"agent,req"`
	OnBehalfOf *Reference `fhir:"onBehalfOf"`
}

// MedicationRequestDispenseRequest is MedicationRequest.dispenseRequest.
type MedicationRequestDispenseRequest struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	ValidityPeriod         *Period    `fhir:"validityPeriod"`
	NumberOfRepeatsAllowed *int       `fhir:"numberOfRepeatsAllowed,positiveInt"`
	Quantity               *Quantity  `fhir:"quantity"`
	ExpectedSupplyDuration *Duration  `fhir:"expectedSupplyDuration"`
	Performer              *Reference `fhir:"performer"`
}

// MedicationRequestSubstitution is MedicationRequest.substitution.
type MedicationRequestSubstitution struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Allowed *bool            `fhir:"allowed"`
	Reason  *CodeableConcept `fhir:"reason"`
}

// Condition is a STU3 Condition.
type Condition struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier         []Identifier        `fhir:"identifier"`
	ClinicalStatus     string              `fhir:"clinicalStatus,code"`
	VerificationStatus string              `fhir:"verificationStatus,code,enum=provisional|differential|confirmed|refuted|entered-in-error|unknown"`
	Category           []CodeableConcept   `fhir:"category"`
	Severity           *CodeableConcept    `fhir:"severity"`
	Code               *CodeableConcept    `fhir:"code"`
	BodySite           []CodeableConcept   `fhir:"bodySite"`
	Subject            *Reference          `fhir:"subject,req"`
	Context            *Reference          `fhir:"context"`
	OnsetDateTime      DateTime            `fhir:"onsetDateTime,choice=onset"`
	OnsetAge           *Age                `fhir:"onsetAge,choice=onset"`
	OnsetPeriod        *Period             `fhir:"onsetPeriod,choice=onset"`
	OnsetRange         *Range              `fhir:"onsetRange,choice=onset"`
	OnsetString        string              `fhir:"onsetString,choice=onset"`
	AbatementDateTime  DateTime            `fhir:"abatementDateTime,choice=abatement"`
	AbatementAge       *Age                `fhir:"abatementAge,choice=abatement"`
	AbatementBoolean   *bool               `fhir:"abatementBoolean,choice=abatement"`
	AbatementPeriod    *Period             `fhir:"abatementPeriod,choice=abatement"`
	AbatementRange     *Range              `fhir:"abatementRange,choice=abatement"`
	AbatementString    string              `fhir:"abatementString,choice=abatement"`
	AssertedDate       DateTime            `fhir:"assertedDate"`
	Asserter           *Reference          `fhir:"asserter"`
	Stage              *ConditionStage     `fhir:"stage"`
	Evidence           []ConditionEvidence `fhir:"evidence"`
	Note               []Annotation        `fhir:"note"`
}

// ConditionStage is Condition.stage.
type ConditionStage struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Summary    *CodeableConcept `fhir:"summary"`
	Assessment []Reference      `fhir:"assessment"`
}

// ConditionEvidence is Condition.evidence.
type ConditionEvidence struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Code   []CodeableConcept `fhir:"code"`
	Detail []Reference       `fhir:"detail"`
}

// Encounter is a STU3 Encounter.
type Encounter struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier       []Identifier              `fhir:"identifier"`
	Status           string                    `fhir:"status,code,enum=planned|arrived|triaged|in-progress|onleave|finished|cancelled|entered-in-error|unknown,req"`
	StatusHistory    []EncounterStatusHistory  `fhir:"statusHistory"`
	Class            *Coding                   `fhir:"class"`
	ClassHistory     []EncounterClassHistory   `fhir:"classHistory"`
	Type             []CodeableConcept         `fhir:"type"`
	Priority         *CodeableConcept          `fhir:"priority"`
	Subject          *Reference                `fhir:"subject"`
	EpisodeOfCare    []Reference               `fhir:"episodeOfCare"`
	IncomingReferral []Reference               `fhir:"incomingReferral"`
	Participant      []EncounterParticipant    `fhir:"participant"`
	Appointment      *Reference                `fhir:"appointment"`
	Period           *Period                   `fhir:"period"`
	Length           *Duration                 `fhir:"length"`
	Reason           []CodeableConcept         `fhir:"reason"`
	Diagnosis        []EncounterDiagnosis      `fhir:"diagnosis"`
	Account          []Reference               `fhir:"account"`
	Hospitalization  *EncounterHospitalization `fhir:"hospitalization"`
	Location         []EncounterLocation       `fhir:"location"`
	ServiceProvider  *Reference                `fhir:"serviceProvider"`
	PartOf           *Reference                `fhir:"partOf"`
}

// EncounterStatusHistory is Encounter.statusHistory.
type EncounterStatusHistory struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Status string  `fhir:"status,code,enum=planned|arrived|triaged|in-progress|onleave|finished|cancelled|entered-in-error|unknown,req"`
	Period *Period `fhir:"period,req"`
}

// EncounterClassHistory is Encounter.classHistory.
type EncounterClassHistory struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Class  *Coding `fhir:"class,req"`
	Period *Period `fhir:"period,req"`
}

// EncounterParticipant is Encounter.participant.
type EncounterParticipant struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Type       []CodeableConcept `fhir:"type"`
	Period     *Period           `fhir:"period"`
	Individual *Reference        `fhir:"individual"`
}

// EncounterDiagnosis is Encounter.diagnosis.
type EncounterDiagnosis struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Condition *Reference       `fhir:"condition,req"`
	Role      *CodeableConcept `fhir:"role"`
	Rank      *int             `fhir:"rank,positiveInt"`
}

// EncounterHospitalization is Encounter.hospitalization.
type EncounterHospitalization struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	PreAdmissionIdentifier *Identifier       `fhir:"preAdmissionIdentifier"`
	Origin                 *Reference        `fhir:"origin"`
	AdmitSource            *CodeableConcept  `fhir:"admitSource"`
	ReAdmission            *CodeableConcept  `fhir:"reAdmission"`
	DietPreference         []CodeableConcept `fhir:"dietPreference"`
	SpecialCourtesy        []CodeableConcept `fhir:"specialCourtesy"`
	SpecialArrangement     []CodeableConcept `fhir:"specialArrangement"`
	Destination            *Reference        `fhir:"destination"`
	DischargeDisposition   *CodeableConcept  `fhir:"dischargeDisposition"`
}

// EncounterLocation is Encounter.location.
type EncounterLocation struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Location *Reference `fhir:"location,req"`
	Status   string     `fhir:"status,code,enum=planned|active|reserved|completed"`
	Period   *Period    `fhir:"period"`
}

// List is a STU3 List.
type List struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier  []Identifier     `fhir:"identifier"`
	Status      string           `fhir:"status,code,enum=current|retired|entered-in-error,req"`
	Mode        string           `fhir:"mode,code,enum=working|snapshot|changes,req"`
	Title       string           `fhir:"title"`
	Code        *CodeableConcept `fhir:"code"`
	Subject     *Reference       `fhir:"subject"`
	Encounter   *Reference       `fhir:"encounter"`
	Date        DateTime         `fhir:"date"`
	Source      *Reference       `fhir:"source"`
	OrderedBy   *CodeableConcept `fhir:"orderedBy"`
	Note        []Annotation     `fhir:"note"`
	Entry       []ListEntry      `fhir:"entry"`
	EmptyReason *CodeableConcept `fhir:"emptyReason"`
}

// ListEntry is List.entry.
type ListEntry struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Flag    *CodeableConcept `fhir:"flag"`
	Deleted *bool            `fhir:"deleted"`
	Date    DateTime         `fhir:"date"`
	Item    *Reference       `fhir:"item,req"`
}

// Observation is a STU3 Observation.
type Observation struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier           []Identifier                `fhir:"identifier"`
	BasedOn              []Reference                 `fhir:"basedOn"`
	Status               string                      `fhir:"status,code,enum=registered|preliminary|final|amended|corrected|cancelled|entered-in-error|unknown,req"`
	Category             []CodeableConcept           `fhir:"category"`
	Code                 *CodeableConcept            `fhir:"code,req"`
	Subject              *Reference                  `fhir:"subject"`
	Context              *Reference                  `fhir:"context"`
	EffectiveDateTime    DateTime                    `fhir:"effectiveDateTime,choice=effective"`
	EffectivePeriod      *Period                     `fhir:"effectivePeriod,choice=effective"`
	Issued               Instant                     `fhir:"issued"`
	Performer            []Reference                 `fhir:"performer"`
	ValueQuantity        *Quantity                   `fhir:"valueQuantity,choice=value"`
	ValueCodeableConcept *CodeableConcept            `fhir:"valueCodeableConcept,choice=value"`
	ValueString          string                      `fhir:"valueString,choice=value"`
	ValueBoolean         *bool                       `fhir:"valueBoolean,choice=value"`
	ValueRange           *Range                      `fhir:"valueRange,choice=value"`
	ValueRatio           *Ratio                      `fhir:"valueRatio,choice=value"`
	ValueSampledData     *SampledData                `fhir:"valueSampledData,choice=value"`
	ValueAttachment      *Attachment                 `fhir:"valueAttachment,choice=value"`
	ValueTime            string                      `fhir:"valueTime,time,choice=value"`
	ValueDateTime        DateTime                    `fhir:"valueDateTime,choice=value"`
	ValuePeriod          *Period                     `fhir:"valuePeriod,choice=value"`
	DataAbsentReason     *CodeableConcept            `fhir:"dataAbsentReason"`
	Interpretation       *CodeableConcept            `fhir:"interpretation"`
	Comment              string                      `fhir:"comment"`
	BodySite             *CodeableConcept            `fhir:"bodySite"`
	Method               *CodeableConcept            `fhir:"method"`
	Specimen             *Reference                  `fhir:"specimen"`
	Device               *Reference                  `fhir:"device"`
	ReferenceRange       []ObservationReferenceRange `fhir:"referenceRange"`
	Related              []ObservationRelated        `fhir:"related"`
	Component            []ObservationComponent      `fhir:"component"`
}

// SampledData is a series of measurements taken by a device.
type SampledData struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`

	Origin     *Quantity `fhir:"origin,req"`
	Period     Decimal   `fhir:"period,req"`
	Factor     Decimal   `fhir:"factor"`
	LowerLimit Decimal   `fhir:"lowerLimit"`
	UpperLimit Decimal   `fhir:"upperLimit"`
	Dimensions *int      `fhir:"dimensions,positiveInt,req"`
	Data       string    `fhir:"data,req"`
}

// ObservationReferenceRange is Observation.referenceRange.
type ObservationReferenceRange struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Low       *Quantity         `fhir:"low"`
	High      *Quantity         `fhir:"high"`
	Type      *CodeableConcept  `fhir:"type"`
	AppliesTo []CodeableConcept `fhir:"appliesTo"`
	Age       *Range            `fhir:"age"`
	Text      string            `fhir:"text"`
}

// ObservationRelated is Observation.related.
type ObservationRelated struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Type   string     `fhir:"type,code,enum=has-member|derived-from|sequel-to|replaces|qualified-by|interfered-by"`
	Target *Reference `fhir:"target,req"`
}

// ObservationComponent is Observation.component.
type ObservationComponent struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Code                 *CodeableConcept            `fhir:"code,req"`
	ValueQuantity        *Quantity                   `fhir:"valueQuantity,choice=value"`
	ValueCodeableConcept *CodeableConcept            `fhir:"valueCodeableConcept,choice=value"`
	ValueString          string                      `fhir:"valueString,choice=value"`
	ValueRange           *Range                      `fhir:"valueRange,choice=value"`
	ValueRatio           *Ratio                      `fhir:"valueRatio,choice=value"`
	ValueSampledData     *SampledData                `fhir:"valueSampledData,choice=value"`
	ValueAttachment      *Attachment                 `fhir:"valueAttachment,choice=value"`
	ValueTime            string                      `fhir:"valueTime,time,choice=value"`
	ValueDateTime        DateTime                    `fhir:"valueDateTime,choice=value"`
	ValuePeriod          *Period                     `fhir:"valuePeriod,choice=value"`
	DataAbsentReason     *CodeableConcept            `fhir:"dataAbsentReason"`
	Interpretation       *CodeableConcept            `fhir:"interpretation"`
	ReferenceRange       []ObservationReferenceRange `fhir:"referenceRange"`
}

// Immunization is a STU3 Immunization.
type Immunization struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier          []Identifier                      `fhir:"identifier"`
	Status              string                            `fhir:"status,code,req"`
	NotGiven            *bool                             `fhir:"notGiven,req"`
	VaccineCode         *CodeableConcept                  `fhir:"vaccineCode,req"`
	Patient             *Reference                        `fhir:"patient,req"`
	Encounter           *Reference                        `fhir:"encounter"`
	Date                DateTime                          `fhir:"date"`
	PrimarySource       *bool                             `fhir:"primarySource,req"`
	ReportOrigin        *CodeableConcept                  `fhir:"reportOrigin"`
	Location            *Reference                        `fhir:"location"`
	Manufacturer        *Reference                        `fhir:"manufacturer"`
	LotNumber           string                            `fhir:"lotNumber"`
	ExpirationDate      Date                              `fhir:"expirationDate"`
	Site                *CodeableConcept                  `fhir:"site"`
	Route               *CodeableConcept                  `fhir:"route"`
	DoseQuantity        *Quantity                         `fhir:"doseQuantity"`
	Practitioner        []ImmunizationPractitioner        `fhir:"practitioner"`
	Note                []Annotation                      `fhir:"note"`
	Explanation         *ImmunizationExplanation          `fhir:"explanation"`
	Reaction            []ImmunizationReaction            `fhir:"reaction"`
	VaccinationProtocol []ImmunizationVaccinationProtocol `fhir:"vaccinationProtocol"`
}

// ImmunizationPractitioner is Immunization.practitioner.
type ImmunizationPractitioner struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Role  *CodeableConcept `fhir:"role"`
	Actor *Reference       `fhir:"actor,req"`
}

// ImmunizationExplanation is Immunization.explanation.
type ImmunizationExplanation struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Reason         []CodeableConcept `fhir:"reason"`
	ReasonNotGiven []CodeableConcept `fhir:"reasonNotGiven"`
}

// ImmunizationReaction is Immunization.reaction.
type ImmunizationReaction struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Date     DateTime   `fhir:"date"`
	Detail   *Reference `fhir:"detail"`
	Reported *bool      `fhir:"reported"`
}

// ImmunizationVaccinationProtocol is Immunization.vaccinationProtocol.
type ImmunizationVaccinationProtocol struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	DoseSequence     *int              `fhir:"doseSequence,positiveInt"`
	Description      string            `fhir:"description"`
	Authority        *Reference        `fhir:"authority"`
	Series           string            `fhir:"series"`
	SeriesDoses      *int              `fhir:"seriesDoses,positiveInt"`
	TargetDisease    []CodeableConcept `fhir:"targetDisease,req"`
	DoseStatus       *CodeableConcept  `fhir:"doseStatus,req"`
	DoseStatusReason *CodeableConcept  `fhir:"doseStatusReason"`
}

// DiagnosticReport is a STU3 DiagnosticReport.
type DiagnosticReport struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier        []Identifier                `fhir:"identifier"`
	BasedOn           []Reference                 `fhir:"basedOn"`
	Status            string                      `fhir:"status,code,enum=registered|partial|preliminary|final|amended|corrected|appended|cancelled|entered-in-error|unknown,req"`
	Category          *CodeableConcept            `fhir:"category"`
	Code              *CodeableConcept            `fhir:"code,req"`
	Subject           *Reference                  `fhir:"subject"`
	Context           *Reference                  `fhir:"context"`
	EffectiveDateTime DateTime                    `fhir:"effectiveDateTime,choice=effective"`
	EffectivePeriod   *Period                     `fhir:"effectivePeriod,choice=effective"`
	Issued            Instant                     `fhir:"issued"`
	Performer         []DiagnosticReportPerformer `fhir:"performer"`
	Specimen          []Reference                 `fhir:"specimen"`
	Result            []Reference                 `fhir:"result"`
	ImagingStudy      []Reference                 `fhir:"imagingStudy"`
	Image             []DiagnosticReportImage     `fhir:"image"`
	Conclusion        string                      `fhir:"conclusion"`
	CodedDiagnosis    []CodeableConcept           `fhir:"codedDiagnosis"`
	PresentedForm     []Attachment                `fhir:"presentedForm"`
}

// DiagnosticReportPerformer is DiagnosticReport.performer.
type DiagnosticReportPerformer struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Role  *CodeableConcept `fhir:"role"`
	Actor *Reference       `fhir:"actor,req"`
}

// DiagnosticReportImage is DiagnosticReport.image.
type DiagnosticReportImage struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Comment string     `fhir:"comment"`
	Link    *Reference `fhir:"link,req"`
}

// Specimen is a STU3 Specimen.
type Specimen struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier          []Identifier         `fhir:"identifier"`
	AccessionIdentifier *Identifier          `fhir:"accessionIdentifier"`
	Status              string               `fhir:"status,code,enum=available|unavailable|unsatisfactory|entered-in-error"`
	Type                *CodeableConcept     `fhir:"type"`
	Subject             *Reference           `fhir:"subject,req"`
	ReceivedTime        DateTime             `fhir:"receivedTime"`
	Parent              []Reference          `fhir:"parent"`
	Request             []Reference          `fhir:"request"`
	Collection          *SpecimenCollection  `fhir:"collection"`
	Processing          []SpecimenProcessing `fhir:"processing"`
	Container           []SpecimenContainer  `fhir:"container"`
	Note                []Annotation         `fhir:"note"`
}

// SpecimenCollection is Specimen.collection.
type SpecimenCollection struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Collector         *Reference       `fhir:"collector"`
	CollectedDateTime DateTime         `fhir:"collectedDateTime,choice=collected"`
	CollectedPeriod   *Period          `fhir:"collectedPeriod,choice=collected"`
	Quantity          *Quantity        `fhir:"quantity"`
	Method            *CodeableConcept `fhir:"method"`
	BodySite          *CodeableConcept `fhir:"bodySite"`
}

// SpecimenProcessing is Specimen.processing.
type SpecimenProcessing struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Description  string           `fhir:"description"`
	Procedure    *CodeableConcept `fhir:"procedure"`
	Additive     []Reference      `fhir:"additive"`
	TimeDateTime DateTime         `fhir:"timeDateTime,choice=time"`
	TimePeriod   *Period          `fhir:"timePeriod,choice=time"`
}

// SpecimenContainer is Specimen.container.
type SpecimenContainer struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier              []Identifier     `fhir:"identifier"`
	Description             string           `fhir:"description"`
	Type                    *CodeableConcept `fhir:"type"`
	Capacity                *Quantity        `fhir:"capacity"`
	SpecimenQuantity        *Quantity        `fhir:"specimenQuantity"`
	AdditiveCodeableConcept *CodeableConcept `fhir:"additiveCodeableConcept,choice=additive"`
	AdditiveReference       *Reference       `fhir:"additiveReference,choice=additive"`
}

// ProcedureRequest is a STU3 ProcedureRequest.
type ProcedureRequest struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier              []Identifier               `fhir:"identifier"`
	Definition              []Reference                `fhir:"definition"`
	BasedOn                 []Reference                `fhir:"basedOn"`
	Replaces                []Reference                `fhir:"replaces"`
	Requisition             *Identifier                `fhir:"requisition"`
	Status                  string                     `fhir:"status,code,req"`
	Intent                  string                     `fhir:"intent,code,req"`
	Priority                string                     `fhir:"priority,code"`
	DoNotPerform            *bool                      `fhir:"doNotPerform"`
	Category                []CodeableConcept          `fhir:"category"`
	Code                    *CodeableConcept           `fhir:"code,req"`
	Subject                 *Reference                 `fhir:"subject,req"`
	Context                 *Reference                 `fhir:"context"`
	OccurrenceDateTime      DateTime                   `fhir:"occurrenceDateTime,choice=occurrence"`
	OccurrencePeriod        *Period                    `fhir:"occurrencePeriod,choice=occurrence"`
	OccurrenceTiming        *Timing                    `fhir:"occurrenceTiming,choice=occurrence"`
	AsNeededBoolean         *bool                      `fhir:"asNeededBoolean,choice=asNeeded"`
	AsNeededCodeableConcept *CodeableConcept           `fhir:"asNeededCodeableConcept,choice=asNeeded"`
	AuthoredOn              DateTime                   `fhir:"authoredOn"`
	Requester               *ProcedureRequestRequester `fhir:"requester"`
	PerformerType           *CodeableConcept           `fhir:"performerType"`
	Performer               *Reference                 `fhir:"performer"`
	ReasonCode              []CodeableConcept          `fhir:"reasonCode"`
	ReasonReference         []Reference                `fhir:"reasonReference"`
	SupportingInfo          []Reference                `fhir:"supportingInfo"`
	Specimen                []Reference                `fhir:"specimen"`
	BodySite                []CodeableConcept          `fhir:"bodySite"`
	Note                    []Annotation               `fhir:"note"`
	RelevantHistory         []Reference                `fhir:"relevantHistory"`
}

// ProcedureRequestRequester is ProcedureRequest.requester.
type ProcedureRequestRequester struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Agent      *Reference `fhir:"agent,req"`
	OnBehalfOf *Reference `fhir:"onBehalfOf"`
}

// ReferralRequest is a STU3 ReferralRequest.
type ReferralRequest struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier         []Identifier              `fhir:"identifier"`
	Definition         []Reference               `fhir:"definition"`
	BasedOn            []Reference               `fhir:"basedOn"`
	Replaces           []Reference               `fhir:"replaces"`
	GroupIdentifier    *Identifier               `fhir:"groupIdentifier"`
	Status             string                    `fhir:"status,code,req"`
	Intent             string                    `fhir:"intent,code,req"`
	Type               *CodeableConcept          `fhir:"type"`
	Priority           string                    `fhir:"priority,code"`
	ServiceRequested   []CodeableConcept         `fhir:"serviceRequested"`
	Subject            *Reference                `fhir:"subject,req"`
	Context            *Reference                `fhir:"context"`
	OccurrenceDateTime DateTime                  `fhir:"occurrenceDateTime,choice=occurrence"`
	OccurrencePeriod   *Period                   `fhir:"occurrencePeriod,choice=occurrence"`
	AuthoredOn         DateTime                  `fhir:"authoredOn"`
	Requester          *ReferralRequestRequester `fhir:"requester"`
	Specialty          *CodeableConcept          `fhir:"specialty"`
	Recipient          []Reference               `fhir:"recipient"`
	ReasonCode         []CodeableConcept         `fhir:"reasonCode"`
	ReasonReference    []Reference               `fhir:"reasonReference"`
	Description        string                    `fhir:"description"`
	SupportingInfo     []Reference               `fhir:"supportingInfo"`
	Note               []Annotation              `fhir:"note"`
	RelevantHistory    []Reference               `fhir:"relevantHistory"`
}

// ReferralRequestRequester is ReferralRequest.requester.
type ReferralRequestRequester struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Agent      *Reference `fhir:"agent,req"`
	OnBehalfOf *Reference `fhir:"onBehalfOf"`
}

// DocumentReference is a STU3 DocumentReference.
type DocumentReference struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	MasterIdentifier *Identifier                  `fhir:"masterIdentifier"`
	Identifier       []Identifier                 `fhir:"identifier"`
	Status           string                       `fhir:"status,code,enum=current|superseded|entered-in-error,req"`
	DocStatus        string                       `fhir:"docStatus,code"`
	Type             *CodeableConcept             `fhir:"type,req"`
	Class            *CodeableConcept             `fhir:"class"`
	Subject          *Reference                   `fhir:"subject"`
	Created          DateTime                     `fhir:"created"`
	Indexed          Instant                      `fhir:"indexed,req"`
	Author           []Reference                  `fhir:"author"`
	Authenticator    *Reference                   `fhir:"authenticator"`
	Custodian        *Reference                   `fhir:"custodian"`
	RelatesTo        []DocumentReferenceRelatesTo `fhir:"relatesTo"`
	Description      string                       `fhir:"description"`
	SecurityLabel    []CodeableConcept            `fhir:"securityLabel"`
	Content          []DocumentReferenceContent   `fhir:"content,req"`
	Context          *DocumentReferenceContext    `fhir:"context"`
}

// DocumentReferenceRelatesTo is DocumentReference.relatesTo.
type DocumentReferenceRelatesTo struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Code   string     `fhir:"code,code,enum=replaces|transforms|signs|appends,req"`
	Target *Reference `fhir:"target,req"`
}

// DocumentReferenceContent is DocumentReference.content.
type DocumentReferenceContent struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Attachment *Attachment `fhir:"attachment,req"`
	Format     *Coding     `fhir:"format"`
}

// DocumentReferenceContext is DocumentReference.context.
type DocumentReferenceContext struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Encounter         *Reference                 `fhir:"encounter"`
	Event             []CodeableConcept          `fhir:"event"`
	Period            *Period                    `fhir:"period"`
	FacilityType      *CodeableConcept           `fhir:"facilityType"`
	PracticeSetting   *CodeableConcept           `fhir:"practiceSetting"`
	SourcePatientInfo *Reference                 `fhir:"sourcePatientInfo"`
	Related           []DocumentReferenceRelated `fhir:"related"`
}

// DocumentReferenceRelated is DocumentReference.context.related.
type DocumentReferenceRelated struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier *Identifier `fhir:"identifier"`
	Ref        *Reference  `fhir:"ref"`
}

// HealthcareService is a STU3 HealthcareService.
type HealthcareService struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier             []Identifier                     `fhir:"identifier"`
	Active                 *bool                            `fhir:"active"`
	ProvidedBy             *Reference                       `fhir:"providedBy"`
	Category               *CodeableConcept                 `fhir:"category"`
	Type                   []CodeableConcept                `fhir:"type"`
	Specialty              []CodeableConcept                `fhir:"specialty"`
	Location               []Reference                      `fhir:"location"`
	Name                   string                           `fhir:"name"`
	Comment                string                           `fhir:"comment"`
	ExtraDetails           string                           `fhir:"extraDetails"`
	Photo                  *Attachment                      `fhir:"photo"`
	Telecom                []ContactPoint                   `fhir:"telecom"`
	CoverageArea           []Reference                      `fhir:"coverageArea"`
	ServiceProvisionCode   []CodeableConcept                `fhir:"serviceProvisionCode"`
	Eligibility            *CodeableConcept                 `fhir:"eligibility"`
	EligibilityNote        string                           `fhir:"eligibilityNote"`
	ProgramName            []string                         `fhir:"programName"`
	Characteristic         []CodeableConcept                `fhir:"characteristic"`
	ReferralMethod         []CodeableConcept                `fhir:"referralMethod"`
	AppointmentRequired    *bool                            `fhir:"appointmentRequired"`
	AvailableTime          []HealthcareServiceAvailableTime `fhir:"availableTime"`
	NotAvailable           []HealthcareServiceNotAvailable  `fhir:"notAvailable"`
	AvailabilityExceptions string                           `fhir:"availabilityExceptions"`
	Endpoint               []Reference                      `fhir:"endpoint"`
}

// HealthcareServiceAvailableTime is HealthcareService.availableTime.
type HealthcareServiceAvailableTime struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	DaysOfWeek         []string `fhir:"daysOfWeek,code,enum=mon|tue|wed|thu|fri|sat|sun"`
	AllDay             *bool    `fhir:"allDay"`
	AvailableStartTime string   `fhir:"availableStartTime,time"`
	AvailableEndTime   string   `fhir:"availableEndTime,time"`
}

// HealthcareServiceNotAvailable is HealthcareService.notAvailable.
type HealthcareServiceNotAvailable struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Description string  `fhir:"description,req"`
	During      *Period `fhir:"during"`
}

// QuestionnaireResponse is a STU3 QuestionnaireResponse.
type QuestionnaireResponse struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier    *Identifier                 `fhir:"identifier"`
	BasedOn       []Reference                 `fhir:"basedOn"`
	Parent        []Reference                 `fhir:"parent"`
	Questionnaire *Reference                  `fhir:"questionnaire"`
	Status        string                      `fhir:"status,code,enum=in-progress|completed|amended|entered-in-error|stopped,req"`
	Subject       *Reference                  `fhir:"subject"`
	Context       *Reference                  `fhir:"context"`
	Authored      DateTime                    `fhir:"authored"`
	Author        *Reference                  `fhir:"author"`
	Source        *Reference                  `fhir:"source"`
	Item          []QuestionnaireResponseItem `fhir:"item"`
}

// QuestionnaireResponseItem is QuestionnaireResponse.item.
type QuestionnaireResponseItem struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	LinkID     string                        `fhir:"linkId,req"`
	Definition string                        `fhir:"definition,uri"`
	Text       string                        `fhir:"text"`
	Subject    *Reference                    `fhir:"subject"`
	Answer     []QuestionnaireResponseAnswer `fhir:"answer"`
	Item       []QuestionnaireResponseItem   `fhir:"item"`
}

// QuestionnaireResponseAnswer is QuestionnaireResponse.item.answer.
type QuestionnaireResponseAnswer struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	ValueBoolean    *bool                       `fhir:"valueBoolean,choice=value"`
	ValueDecimal    Decimal                     `fhir:"valueDecimal,choice=value"`
	ValueInteger    *int                        `fhir:"valueInteger,choice=value"`
	ValueDate       Date                        `fhir:"valueDate,choice=value"`
	ValueDateTime   DateTime                    `fhir:"valueDateTime,choice=value"`
	ValueTime       string                      `fhir:"valueTime,time,choice=value"`
	ValueString     string                      `fhir:"valueString,choice=value"`
	ValueURI        string                      `fhir:"valueUri,uri,choice=value"`
	ValueAttachment *Attachment                 `fhir:"valueAttachment,choice=value"`
	ValueCoding     *Coding                     `fhir:"valueCoding,choice=value"`
	ValueQuantity   *Quantity                   `fhir:"valueQuantity,choice=value"`
	ValueReference  *Reference                  `fhir:"valueReference,choice=value"`
	Item            []QuestionnaireResponseItem `fhir:"item"`
}

// ResourceType methods of the resources above.

// ResourceType returns "AllergyIntolerance".
func (*AllergyIntolerance) ResourceType() string { return "AllergyIntolerance" }

// ResourceType returns "Medication".
func (*Medication) ResourceType() string { return "Medication" }

// ResourceType returns "MedicationStatement".
func (*MedicationStatement) ResourceType() string { return "MedicationStatement" }

// ResourceType returns "MedicationRequest".
func (*MedicationRequest) ResourceType() string { return "MedicationRequest" }

// ResourceType returns "Condition".
func (*Condition) ResourceType() string { return "Condition" }

// ResourceType returns "Encounter".
func (*Encounter) ResourceType() string { return "Encounter" }

// ResourceType returns "List".
func (*List) ResourceType() string { return "List" }

// ResourceType returns "Observation".
func (*Observation) ResourceType() string { return "Observation" }

// ResourceType returns "Immunization".
func (*Immunization) ResourceType() string { return "Immunization" }

// ResourceType returns "DiagnosticReport".
func (*DiagnosticReport) ResourceType() string { return "DiagnosticReport" }

// ResourceType returns "Specimen".
func (*Specimen) ResourceType() string { return "Specimen" }

// ResourceType returns "ProcedureRequest".
func (*ProcedureRequest) ResourceType() string { return "ProcedureRequest" }

// ResourceType returns "ReferralRequest".
func (*ReferralRequest) ResourceType() string { return "ReferralRequest" }

// ResourceType returns "DocumentReference".
func (*DocumentReference) ResourceType() string { return "DocumentReference" }

// ResourceType returns "HealthcareService".
func (*HealthcareService) ResourceType() string { return "HealthcareService" }

// ResourceType returns "QuestionnaireResponse".
func (*QuestionnaireResponse) ResourceType() string { return "QuestionnaireResponse" }
