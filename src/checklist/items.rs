//! The checklists as data: one table, each item with the service it belongs to, what the
//! reviewer looks for, the document it comes from and where in it, and the rule that decides
//! it from a case. The wording follows the sources; each was read where it is published (the
//! CMS coverage database, the eCFR and its transcriptions, the DME MACs' and home health MAC's
//! articles).

use crate::model::Service;

const NCD_240_2: &str = "NCD 240.2 Home Use of Oxygen (Medicare National Coverage Determinations Manual, version 2, effective 2021-09-27)";
const LCD_L33797: &str = "LCD L33797 Oxygen and Oxygen Equipment (DME MACs)";
const CFR_410_38: &str = "42 CFR 410.38 Durable medical equipment, prosthetics, orthotics and supplies: scope and conditions";
const CFR_424_57: &str = "42 CFR 424.57 Special payment rules for items furnished by DMEPOS suppliers";
const SSA_1862: &str = "Social Security Act §1862(a)(1)(A) (reasonable and necessary)";
const CFR_409_42: &str = "42 CFR 409.42 Beneficiary qualifications for coverage of home health services";
const CFR_409_43: &str = "42 CFR 409.43 Plan of care requirements";
const CFR_424_22: &str = "42 CFR 424.22 Requirements for home health services";
const MBPM_7: &str = "Medicare Benefit Policy Manual (Pub. 100-02), Chapter 7, Home Health Services";
const LCD_L33831: &str = "LCD L33831 Surgical Dressings, with Policy Article A54563 (DME MACs)";
const CFR_486_505: &str = "42 CFR 486.505 Definitions (home infusion therapy)";
const MBPM_15: &str = "Medicare Benefit Policy Manual (Pub. 100-02), Chapter 15, §320.7.1 Determining Qualifying Home Infusion Drugs";

/// How an item is decided from a case. Every rule also counts an exhibit whose `meets` names
/// the item, unless a reading or fact contradicts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// An SpO2 at or below 88 % on room air (`readings::qualifies`); contradicted when every
    /// room-air reading is above it.
    QualifyingSpo2,
    /// A progress note dated on or after the first qualifying reading.
    EvaluatedAfterTest,
    /// A qualifying reading taken on or before the order.
    TestBeforeOrder,
    /// A physician order exhibit, or an `order` event.
    Order,
    /// A `delivered` event (with any delivery confirmation dated from it on).
    Delivery,
    /// Contradicted when a `delivered` event comes before the order.
    OrderBeforeDelivery,
    /// Diagnoses in `[case]`, and progress notes.
    Diagnosis,
    /// A progress note or physician order: the medical record.
    MedicalRecord,
    /// A mobility assessment exhibit or mobility readings.
    Homebound,
    /// A progress note within 90 days before or 30 days after the start of care (the first
    /// `delivered` event, else the order); contradicted when every note is outside.
    FaceToFace,
    /// Decided only by an exhibit's `meets`.
    Stated,
    /// A physician order exhibit (the plan of care the practitioner signs).
    PlanOfCare,
    /// Wound measurements (size) or wound photos.
    WoundMeasured,
    /// A debridement procedure code in `[case]`; contradicted when every wound measurement
    /// is a stage 1 pressure ulcer.
    QualifyingWound,
    /// Contradicted when the latest measurement of every wound site is 0 × 0 cm (healed).
    WoundOpen,
    /// An external infusion pump code in `[case]` procedures; contradicted by an insulin pump
    /// code alone.
    InfusionPump,
    /// A drug code (HCPCS J-code) in `[case]` procedures.
    InfusionDrug,
}

/// One item of a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub service: Service,
    /// What an exhibit's `meets` names it by: lowercase, unique across every checklist.
    pub id: &'static str,
    /// What the reviewer looks for.
    pub criterion: &'static str,
    /// The document it comes from.
    pub source: &'static str,
    /// Where in the document.
    pub citation: &'static str,
    pub rule: Rule,
}

const fn entry(
    service: Service,
    id: &'static str,
    criterion: &'static str,
    source: &'static str,
    citation: &'static str,
    rule: Rule,
) -> Item {
    Item { service, id, criterion, source, citation, rule }
}

use Rule::*;
use Service::{Dme, HomeHealth, HomeInfusion, HomeOxygen, WoundCare};

/// Every item of every checklist, grouped by service, in the order a reviewer reads them.
pub static ITEMS: &[Item] = &[
    // Home oxygen.
    entry(
        HomeOxygen,
        "oxygen-qualifying-test",
        "A qualifying blood gas study: oxygen saturation at or below 88 % (or arterial PO2 at or below 55 mm Hg) at rest and awake breathing room air, or during sleep, or during exercise",
        LCD_L33797,
        "LCD L33797, Group I criteria 1, 2 and 4",
        QualifyingSpo2,
    ),
    entry(
        HomeOxygen,
        "oxygen-practitioner-evaluation",
        "The test was ordered and evaluated by the treating practitioner (oximetry performed under the practitioner's supervision or by a qualified provider or supplier of laboratory services, not by the DME supplier)",
        NCD_240_2,
        "NCD 240.2 §B; LCD L33797 (the treating practitioner has evaluated the results of a qualifying blood gas study)",
        EvaluatedAfterTest,
    ),
    entry(
        HomeOxygen,
        "oxygen-time-of-need",
        "The test was performed at the time of need: within 2 days of discharge for a hospital inpatient, otherwise when the treating practitioner notes signs and symptoms of hypoxemia that home oxygen is expected to relieve",
        NCD_240_2,
        "NCD 240.2 §B",
        TestBeforeOrder,
    ),
    entry(
        HomeOxygen,
        "oxygen-condition",
        "The treating practitioner has found a severe lung disease or hypoxia-related symptoms that might be expected to improve with oxygen therapy",
        LCD_L33797,
        "LCD L33797, Coverage Indications (home oxygen is reasonable and necessary only if all conditions are met)",
        Diagnosis,
    ),
    entry(
        HomeOxygen,
        "oxygen-written-order",
        "A standard written order: the beneficiary's name or MBI, the order date, a general description of the item, the quantity, the treating practitioner's name or NPI, and the practitioner's signature",
        CFR_410_38,
        "42 CFR 410.38; DME MAC article A55426 (standard written order)",
        Order,
    ),
    entry(
        HomeOxygen,
        "oxygen-delivery",
        "Proof of delivery: the item delivered to the beneficiary, with the date it was received",
        CFR_424_57,
        "42 CFR 424.57(c)(12)",
        Delivery,
    ),
    // Home health.
    entry(
        HomeHealth,
        "home-health-homebound",
        "Confined to the home: needs a device, special transportation or another person's help to leave home, or leaving is medically contraindicated; and leaving home takes a considerable and taxing effort",
        MBPM_7,
        "42 CFR 409.42(a); MBPM ch. 7 §30.1.1",
        Homebound,
    ),
    entry(
        HomeHealth,
        "home-health-skilled-need",
        "Needs skilled services: intermittent skilled nursing, physical therapy or speech-language pathology, or continuing occupational therapy",
        CFR_409_42,
        "42 CFR 409.42(c)",
        Stated,
    ),
    entry(
        HomeHealth,
        "home-health-face-to-face",
        "A face-to-face encounter related to the primary reason for home health, no more than 90 days before or 30 days after the start of care, documented by the certifying practitioner with its date",
        CFR_424_22,
        "42 CFR 424.22; MBPM ch. 7 §30.5.1.1",
        FaceToFace,
    ),
    entry(
        HomeHealth,
        "home-health-plan-of-care",
        "A plan of care established and periodically reviewed by the certifying practitioner, naming the services, disciplines, frequency and duration of visits",
        CFR_409_43,
        "42 CFR 409.43(a)",
        PlanOfCare,
    ),
    entry(
        HomeHealth,
        "home-health-certification",
        "The certifying practitioner's certification that the patient is confined to the home, needs skilled services, is under the practitioner's care and has a plan of care",
        CFR_424_22,
        "42 CFR 424.22(a)",
        Stated,
    ),
    // Wound care.
    entry(
        WoundCare,
        "wound-qualifying",
        "A qualifying wound: caused by or treated by a surgical procedure, or after debridement (a stage 1 pressure ulcer does not qualify)",
        LCD_L33831,
        "Policy Article A54563 (qualifying wounds); LCD L33831",
        QualifyingWound,
    ),
    entry(
        WoundCare,
        "wound-evaluation",
        "A wound evaluation in the treating practitioner's or home nursing records: the type of wound, its location, number and size, the amount of drainage, and the dressing's type, size, amount and change frequency",
        LCD_L33831,
        "Policy Article A54563 (initial wound evaluation)",
        WoundMeasured,
    ),
    entry(
        WoundCare,
        "wound-still-open",
        "Dressings are covered as long as they are medically necessary: the wound is not yet healed",
        LCD_L33831,
        "LCD L33831, Coverage Indications",
        WoundOpen,
    ),
    entry(
        WoundCare,
        "wound-written-order",
        "A standard written order for the dressings",
        CFR_410_38,
        "42 CFR 410.38; DME MAC article A55426 (standard written order)",
        Order,
    ),
    entry(WoundCare, "wound-delivery", "Proof of delivery of the dressings", CFR_424_57, "42 CFR 424.57(c)(12)", Delivery),
    // DME in general.
    entry(
        Dme,
        "dme-written-order",
        "A standard written order: the beneficiary's name or MBI, the order date, a general description of the item, the quantity, the treating practitioner's name or NPI, and the practitioner's signature",
        CFR_410_38,
        "42 CFR 410.38; DME MAC article A55426 (standard written order)",
        Order,
    ),
    entry(
        Dme,
        "dme-order-before-delivery",
        "For an item on the Required Face-to-Face Encounter and Written Order Prior to Delivery List: the face-to-face encounter and the written order came before delivery",
        CFR_410_38,
        "42 CFR 410.38 (Required Face-to-Face Encounter and Written Order Prior to Delivery List)",
        OrderBeforeDelivery,
    ),
    entry(
        Dme,
        "dme-medical-record",
        "The medical record supports that the item is reasonable and necessary for the diagnosis or treatment of illness or injury",
        SSA_1862,
        "Social Security Act §1862(a)(1)(A); DME MAC article A55426",
        MedicalRecord,
    ),
    entry(Dme, "dme-delivery", "Proof of delivery: the item delivered to the beneficiary, with the date it was received", CFR_424_57, "42 CFR 424.57(c)(12)", Delivery),
    // Home infusion.
    entry(
        HomeInfusion,
        "infusion-drug",
        "A home infusion drug: a parenteral drug or biological given intravenously, or subcutaneously for 15 minutes or more, and itself reasonable and necessary for the illness or injury",
        CFR_486_505,
        "42 CFR 486.505 (home infusion drug); MBPM ch. 15 §320.7.1",
        InfusionDrug,
    ),
    entry(
        HomeInfusion,
        "infusion-pump",
        "Given in the home through a pump that is an item of durable medical equipment (insulin pump systems are not home infusion drugs)",
        CFR_486_505,
        "42 CFR 486.505 (home infusion drug)",
        InfusionPump,
    ),
    entry(
        HomeInfusion,
        "infusion-condition",
        "The drug is necessary for the effective use of the pump, and the pump is reasonable and necessary to give it, for the patient's condition",
        MBPM_15,
        "MBPM ch. 15 §320.7.1",
        Diagnosis,
    ),
    entry(
        HomeInfusion,
        "infusion-written-order",
        "A standard written order for the pump and the drug",
        CFR_410_38,
        "42 CFR 410.38; DME MAC article A55426 (standard written order)",
        Order,
    ),
    entry(HomeInfusion, "infusion-delivery", "Proof of delivery of the pump and the drug", CFR_424_57, "42 CFR 424.57(c)(12)", Delivery),
];

/// The items of `service`'s checklist, in order; empty for a service without one (`service`,
/// `payment`, `part-b-drug`, `drug`).
pub fn checklist(service: Service) -> impl Iterator<Item = &'static Item> {
    ITEMS.iter().filter(move |i| i.service == service)
}

/// The item named `id`, in any checklist.
pub fn item_by_id(id: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.id == id)
}
