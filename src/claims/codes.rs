//! What the adjustment codes of a remittance say: claim adjustment reason codes (CARC), remittance
//! advice remark codes (RARC) and provider-level adjustment reasons (835 PLB), for the codes seen
//! on home health, DME, oxygen and infusion denials. Only texts that were read are here; a code
//! not in these tables is printed as "not in Redress's table", never guessed.
//!
//! Where the texts were read:
//! - CARC and RARC: the X12 code lists (maintained by X12 and by CMS; published at
//!   x12.org/codes) as the OpenEMR project carries them, `src/Billing/BillingUtilities.php`
//!   (`claim_adjustment_reason_codes`, `remittance_advice_remark_codes`) of github.com/openemr/openemr
//!   at commit 0038930; each description is the code's sentence there without the X12 "Usage:" notes
//!   and "(Use only with Group Code …)" asides. CARC 197 was checked against payer-education pages
//!   quoting X12's list (kupuhealth.com/codes/co-197, approvalhelp.com/how-it-works/codes/carc/197).
//!   The lists change three times a year: a newer file may word a code differently.
//! - PLB reasons (X12 element 426): the 835 guide's PLB03-1 code list as eedi.net prints it
//!   (835004010X091A1, PLB), X12's maintenance page for provider adjustment reason codes
//!   (x12.org/codes/provider-adjustment-reason-codes), and a Medicare contractor's job aid
//!   ("Provider Level Balance Reason Codes: The Fundamentals").

/// A CARC's description, where the table has it.
pub fn carc(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "Deductible Amount",
        "2" => "Coinsurance Amount",
        "3" => "Co-payment Amount",
        "4" => "The procedure code is inconsistent with the modifier used or a required modifier is missing.",
        "5" => "The procedure code/type of bill is inconsistent with the place of service.",
        "11" => "The diagnosis is inconsistent with the procedure.",
        "16" => "Claim/service lacks information or has submission/billing error(s).",
        "18" => "Exact duplicate claim/service",
        "22" => "This care may be covered by another payer per coordination of benefits.",
        "23" => "The impact of prior payer(s) adjudication including payments and/or adjustments.",
        "26" => "Expenses incurred prior to coverage.",
        "27" => "Expenses incurred after coverage terminated.",
        "29" => "The time limit for filing has expired.",
        "31" => "Patient cannot be identified as our insured.",
        "39" => "Services denied at the time authorization/pre-certification was requested.",
        "45" => "Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement.",
        "49" => "This is a non-covered service because it is a routine/preventive exam or a diagnostic/screening procedure done in conjunction with a routine/preventive exam.",
        "50" => "These are non-covered services because this is not deemed a 'medical necessity' by the payer.",
        "55" => "Procedure/treatment/drug is deemed experimental/investigational by the payer.",
        "56" => "Procedure/treatment has not been deemed 'proven to be effective' by the payer.",
        "58" => "Treatment was deemed by the payer to have been rendered in an inappropriate or invalid place of service.",
        "96" => "Non-covered charge(s).",
        "97" => "The benefit for this service is included in the payment/allowance for another service/procedure that has already been adjudicated.",
        "108" => "Rent/purchase guidelines were not met.",
        "109" => "Claim/service not covered by this payer/contractor. You must send the claim/service to the correct payer/contractor.",
        "119" => "Benefit maximum for this time period or occurrence has been reached.",
        "146" => "Diagnosis was invalid for the date(s) of service reported.",
        "147" => "Provider contracted/negotiated rate expired or not on file.",
        "150" => "Payer deems the information submitted does not support this level of service.",
        "151" => "Payment adjusted because the payer deems the information submitted does not support this many/frequency of services.",
        "152" => "Payer deems the information submitted does not support this length of service.",
        "167" => "This (these) diagnosis(es) is (are) not covered.",
        "170" => "Payment is denied when performed/billed by this type of provider.",
        "171" => "Payment is denied when performed/billed by this type of provider in this type of facility.",
        "173" => "Service/equipment was not prescribed by a physician.",
        "174" => "Service was not prescribed prior to delivery.",
        "175" => "Prescription is incomplete.",
        "176" => "Prescription is not current.",
        "181" => "Procedure code was invalid on the date of service.",
        "182" => "Procedure modifier was invalid on the date of service.",
        "183" => "The referring provider is not eligible to refer the service billed.",
        "184" => "The prescribing/ordering provider is not eligible to prescribe/order the service billed.",
        "185" => "The rendering provider is not eligible to perform the service billed.",
        "189" => "'Not otherwise classified' or 'unlisted' procedure code (CPT/HCPCS) was billed when there is a specific procedure code for this procedure/service",
        "197" => "Precertification/authorization/notification/pre-treatment absent.",
        "198" => "Precertification/notification/authorization/pre-treatment exceeded.",
        "204" => "This service/equipment/drug is not covered under the patients dental plan for further consideration.",
        "226" => "Information requested from the Billing/Rendering Provider was not provided or not provided timely or was insufficient/incomplete.",
        "227" => "Information requested from the patient/insured/responsible party was not provided or was insufficient/incomplete.",
        "236" => "This procedure or procedure/modifier combination is not compatible with another procedure or procedure/modifier combination provided on the same day according to the National Correct Coding Initiative or workers compensation state regulations/ fee schedule requirements.",
        "242" => "Services not provided by network/primary care providers.",
        "243" => "Services not authorized by network/primary care providers.",
        "252" => "An attachment/other documentation is required to adjudicate this claim/service.",
        "253" => "Sequestration - reduction in federal payment",
        "256" => "Service not payable per managed care contract.",
        "272" => "Coverage/program guidelines were not met.",
        "273" => "Coverage/program guidelines were exceeded.",
        "284" => "Precertification/authorization/notification/pre-treatment number may be valid but does not apply to the billed services.",
        "288" => "Referral absent",
        "A1" => "Claim/Service denied.",
        "B7" => "This provider was not certified/eligible to be paid for this procedure/service on this date of service.",
        "B9" => "Patient is enrolled in a Hospice.",
        "B12" => "Services not documented in patient's medical records.",
        "B13" => "Previously paid. Payment for this claim/service may have been provided in a previous payment.",
        "B15" => "This service/procedure requires that a qualifying service/procedure be received and covered. The qualifying other service/procedure has not been received/adjudicated.",
        "B20" => "Procedure/service was partially or fully furnished by another provider.",
        _ => return None,
    })
}

/// A RARC's description, where the table has it.
pub fn rarc(code: &str) -> Option<&'static str> {
    Some(match code {
        "M3" => "Equipment is the same or similar to equipment already being used.",
        "M19" => "Missing oxygen certification/re-certification.",
        "M51" => "Missing/incomplete/invalid procedure code(s).",
        "M60" => "Missing Certificate of Medical Necessity.",
        "M62" => "Missing/incomplete/invalid treatment authorization code.",
        "M76" => "Missing/incomplete/invalid diagnosis or condition.",
        "M119" => "Missing/incomplete/invalid/ deactivated/withdrawn National Drug Code (NDC).",
        "M124" => "Missing indication of whether the patient owns the equipment that requires the part or supply.",
        "M127" => "Missing patient medical record for this service.",
        "M141" => "Missing physician certified plan of care.",
        "MA130" => "Your claim contains incomplete and/or invalid information, and no appeal rights are afforded because the claim is unprocessable. Please submit a new claim with the complete/correct information.",
        "N4" => "Missing/Incomplete/Invalid prior Insurance Carrier(s) EOB.",
        "N10" => "Adjustment based on the findings of a review organization/professional consult/manual adjudication/medical advisor/dental advisor/peer review.",
        "N30" => "Patient ineligible for this service.",
        "N54" => "Claim information is inconsistent with pre-certified/authorized services.",
        "N95" => "This provider type/provider specialty may not bill this service.",
        "N115" => "This decision was based on a Local Coverage Determination (LCD). An LCD provides a guide to assist in determining whether a particular item or service is covered. A copy of this policy is available at www.cms.gov/mcd, or if you do not have web access, you may contact the contractor to request a copy of the LCD.",
        "N130" => "Consult plan benefit documents/guidelines for information about restrictions for this service.",
        "N170" => "A new/revised/renewed certificate of medical necessity is needed.",
        "N180" => "This item or service does not meet the criteria for the category under which it was billed.",
        "N227" => "Incomplete/invalid Certificate of Medical Necessity.",
        "N234" => "Incomplete/invalid oxygen certification/re-certification.",
        "N237" => "Incomplete/invalid patient medical record for this service.",
        "N238" => "Incomplete/invalid physician certified plan of care.",
        "N290" => "Missing/incomplete/invalid rendering provider primary identifier.",
        "N320" => "Missing/incomplete/invalid Home Health Certification Period.",
        "N328" => "Missing/incomplete/invalid Oxygen Saturation Test date.",
        "N350" => "Missing/incomplete/invalid description of service for a Not Otherwise Classified (NOC) code or for an Unlisted/By Report procedure.",
        "N362" => "The number of Days or Units of Service exceeds our acceptable maximum.",
        "N370" => "Billing exceeds the rental months covered/approved by the payer.",
        "N386" => "This decision was based on a National Coverage Determination (NCD). An NCD provides a coverage determination as to whether a particular item or service is covered. A copy of this policy is available at www.cms.gov/mcd/search.asp. If you do not have web access, you may contact the contractor to request a copy of the NCD.",
        "N432" => "Alert: Adjustment based on a Recovery Audit.",
        "N435" => "Exceeds number/frequency approved /allowed within time period without support documentation.",
        "N517" => "Resubmit a new claim with the requested information.",
        "N518" => "No separate payment for accessories when furnished for use with oxygen equipment.",
        "N640" => "Exceeds number/frequency approved/allowed within time period.",
        "N657" => "This should be billed with the appropriate code for these services.",
        "N661" => "Documentation does not support that the services rendered were medically necessary.",
        "N706" => "Missing documentation.",
        "N717" => "Incomplete/Invalid documentation of face-to-face examination.",
        "N718" => "Missing documentation of face-to-face examination.",
        "N749" => "Missing Blood Gas Report.",
        "N750" => "Incomplete/invalid Blood Gas Report.",
        _ => return None,
    })
}

/// A provider-level adjustment reason (835 PLB03-1 and its pairs), where the table has it.
pub fn plb(code: &str) -> Option<&'static str> {
    Some(match code {
        "50" => "Late Charge",
        "51" => "Interest Penalty Charge",
        "72" => "Authorized Return",
        "90" => "Early Payment Allowance",
        "AP" => "Acceleration of Benefits",
        "B2" => "Rebate",
        "B3" => "Recovery Allowance",
        "BD" => "Bad Debt Adjustment",
        "BN" => "Bonus",
        "CS" => "Adjustment",
        "E3" => "Withholding",
        "FB" => "Forwarding Balance",
        "IR" => "Internal Revenue Service Withholding",
        "J1" => "Non-Reimbursable",
        "L6" => "Interest Owed",
        "WO" => "Overpayment Recovery",
        _ => return None,
    })
}

/// What is printed for a code the tables do not hold.
pub const NOT_IN_TABLE: &str = "not in Redress's table";
