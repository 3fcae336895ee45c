//! The wording of the demo's text documents: the order, the denial notice, the note, the call log.

use super::case::*;
use chrono::NaiveDate;

/// `03/14/1947`, as forms print dates.
pub(super) fn us(d: NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

/// `March 14, 1947`, as letters print dates.
fn long(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The signed order: one page.
pub(super) fn order(d: &Dates) -> String {
    format!(
        "# {ORGANIZATION}
1450 N. Halsted Street, Suite 300, Chicago, IL 60642
Phone {PROVIDER_PHONE}    Fax {PROVIDER_FAX}

# Standard Written Order - Home Oxygen Therapy

Patient: {MEMBER}    DOB: {dob}    Member ID: {MEMBER_ID}
Plan: {PAYER}
Order date: {order}

Item ordered: stationary oxygen concentrator (HCPCS E1390) with portable gaseous oxygen system for ambulation, nasal cannula and tubing.
Flow rate: 2 L/min continuous by nasal cannula, at rest, with exertion and during sleep.
Length of need: 12 months.

Diagnoses:
- J44.1 Chronic obstructive pulmonary disease with (acute) exacerbation
- R09.02 Hypoxemia

Qualifying testing, all within 30 days before this order:
- Overnight oximetry on room air, night of {night}: SpO2 at or below 88% for 142 minutes (31% of 7 h 38 min recorded); nadir 81%.
- Office visit {visit}: SpO2 88% at rest on room air, awake.
- 6-minute walk on room air, {visit}: SpO2 fell to 83%; on 2 L/min the walk was repeated with SpO2 92-94%.

Alternatives tried: tiotropium/olodaterol inhaler daily, albuterol as needed, pulmonary rehabilitation referral. Hypoxemia persists despite treatment.

I have examined this patient in person within the last 30 days. Home oxygen is reasonable and medically necessary; the patient's condition is expected to improve with it, and no alternative treatment has been sufficient.

Signed electronically by {CLINICIAN}    NPI {NPI}
Date and time signed: {order} 4:10 PM",
        dob = us(d.dob()),
        order = us(d.order()),
        night = us(d.oximetry_night()),
        visit = us(d.visit()),
    )
}

/// The plan's denial notice: two pages, the second with the appeal rights.
pub(super) fn denial(d: &Dates) -> [String; 2] {
    let reference = d.reference();
    let first = format!(
        "# {PAYER}
Utilization Management, P.O. Box 4410, Chicago, IL 60680-4410

# Notice of Denial of Medical Coverage

Date: {notice}
Member: {MEMBER}    Member ID: {MEMBER_ID}
Requesting provider: {CLINICIAN}, {ORGANIZATION}
Case number: {reference}    Authorization request: {AUTHORIZATION}

Dear {MEMBER}:

We have denied the request for the following medical item: stationary oxygen concentrator (HCPCS E1390), 2 L/min continuous, 12 months, requested by your doctor on {fax}.

Why we denied your request:
{DENIAL_REASON}.

Medicare covers home oxygen when an arterial blood gas or oxygen saturation test, taken while you are in a chronic stable state, shows an oxygen level at or below the level Medicare requires (National Coverage Determination 240.2). The records we received did not include a qualifying oxygen saturation result obtained within 30 days before the order. Without it we cannot find the item medically necessary.

This decision was made by Robert Lindqvist, MD, Associate Medical Director, who reviewed the request and the records your doctor sent.

You or your doctor may ask us for a copy of the records and the criteria we used. To ask, call Member Services at 1-800-555-0177 (TTY 711).

If you disagree with this decision, you have the right to appeal. Please read the next page.

Page 1 of 2",
        notice = long(d.notice()),
        fax = long(d.fax()),
    );
    let second = format!(
        "# Your right to appeal

Case number: {reference}    Member ID: {MEMBER_ID}

You have the right to ask {PAYER} to reconsider (change) this decision. You must ask for a reconsideration within 65 calendar days of the date of this notice, that is, by {deadline}. We can give you more time if you have a good reason for missing the deadline.

Your doctor or other provider may ask for a reconsideration for you. Someone else may also ask for you if you name them as your representative in writing.

Standard appeal: we will give you a decision no later than 30 calendar days after we get your appeal. We may take up to 14 more days if you ask for more time or if we need more information that may benefit you.

Fast (expedited) appeal: if you or your doctor believe that waiting 30 days could seriously harm your health or your ability to function, you can ask for a fast appeal. If your doctor asks for one, we will give you a decision within 72 hours.

How to ask for a reconsideration:
- Mail: {PAYER}, Appeals and Grievances Department, P.O. Box 4415, Chicago, IL 60680-4415
- Fax: 1-312-555-0190
- Phone (fast appeals only): 1-800-555-0177, TTY 711, 8 a.m. to 8 p.m., seven days a week

Include your name, member ID, the case number above, and any information that supports your request, such as test results and a letter from your doctor.

What happens next: if we still deny your request after reconsideration, we will automatically send your case to an Independent Review Entity for a new and impartial review.

Get help with your appeal: you can contact your State Health Insurance Assistance Program for free counseling, or call 1-800-MEDICARE (1-800-633-4227), TTY 1-877-486-2048, 24 hours a day, seven days a week.

Page 2 of 2",
        deadline = long(d.notice_deadline()),
    );
    [first, second]
}

/// The progress note, in the Markdown subset the packet sets: headings, bold, lists.
pub(super) fn progress_note(d: &Dates) -> String {
    format!(
        "# Progress note — pulmonary follow-up

**Patient:** {MEMBER} · **DOB:** {dob} · **Member ID:** {MEMBER_ID}
**Visit:** {visit}, 10:15 · **Clinician:** {CLINICIAN} · **Respiratory therapist:** José Álvarez, RT

# Subjective

Mr. Hayes is a {age}-year-old former smoker (45 pack-years, quit 2012) with severe COPD. Two weeks after an exacerbation treated with prednisone and doxycycline he still gets breathless walking from the bedroom to the kitchen, and wakes at night short of breath. He sleeps propped on three pillows. No chest pain, no fever.

# Objective

- Temperature 36.8 °C, BP 138/82, heart rate 96, respiratory rate 22
- Weight 71.4 ± 0.2 kg (three readings)
- **SpO₂ at rest, room air, awake: 88 %** after 10 minutes seated
- 6-minute walk on room air: stopped at 4 min 10 s, 210 m; SpO₂ nadir **83 %**, heart rate 112
- Repeat walk on 2 L/min by nasal cannula: completed 6 min, 265 m; SpO₂ 92–94 %
- Overnight oximetry on room air ({night}): 142 min with SpO₂ ≤ 88 % (31 % of recording), nadir 81 %
- Last spirometry: FEV1 0.98 L (38 % predicted), FEV1/FVC 0.46
- Albuterol 90 µg per actuation, 2 puffs every 4 hours as needed

Walk test supervised by José Álvarez, RT; oximeter photographed on the display at rest.

# Assessment

- COPD with acute exacerbation (J44.1), slowly improving
- Hypoxemia (R09.02): SpO₂ ≤ 88 % at rest, with exertion and during sleep on room air; exertional hypoxemia corrected by 2 L/min (≥ 92 %)

He meets the Medicare criteria for home oxygen on each of the three tests; any one alone would qualify.

# Plan

- Home oxygen 2 L/min continuous by nasal cannula, concentrator (E1390) with portable system; order to follow
- Continue tiotropium/olodaterol daily; albuterol as needed
- Pulmonary rehabilitation referral renewed
- Recheck in 4 weeks with oxygen in place; repeat walk test on oxygen

Electronically signed: {CLINICIAN}, {visit} 11:48
",
        dob = us(d.dob()),
        visit = iso(d.visit()),
        night = iso(d.oximetry_night()),
        age = d.visit().years_since(d.dob()).unwrap_or(0),
    )
}

/// The intake coordinator's call log, plain text.
pub(super) fn call_log(d: &Dates) -> String {
    let reference = d.reference();
    format!(
        "CALL LOG - {MEMBER} ({MEMBER_ID}) - home oxygen authorization
Kept by {SUBMITTER}, {SUBMITTER_ROLE}, {ORGANIZATION}, {SUBMITTER_PHONE}

{verify} 09:05  Verified eligibility and DME benefits on the Lakeshore provider
                  portal. Coverage active. Prior authorization required for E1390.
                  Portal reference {ELIGIBILITY_REF}.

{fax} 14:40  Faxed prior authorization request to Lakeshore utilization
                  management, fax {PLAN_UM_FAX}: order, overnight oximetry report,
                  progress note, 9 pages. Transmission report: OK.
                  Authorization request number {AUTHORIZATION}.

{call1} 11:15  Called Lakeshore UM at 1-800-555-0160 (hold 22 min). Spoke with
                  Denise R., intake. Request received, pending clinical review.
                  Call reference {CALL1_REF}. She said a decision would be made
                  and faxed to us by {promise1} 5:00 PM.

{promise1} 17:00  No decision, no call back, nothing on the portal.

{portal} 10:30  Portal still shows PENDING REVIEW. Screenshot saved to the chart.

{received}        Denial notice dated {notice} arrived by mail today.
                  Case number {reference}. Reason given: qualifying oxygen
                  saturation not documented - but all three qualifying tests were
                  in the fax of {fax}.

{call2} 15:20  Called Lakeshore Appeals and Grievances at 1-800-555-0177. Spoke
                  with Marcus T. Confirmed the provider may request reconsideration
                  for the member. Asked for the case file and the criteria used.
                  Call reference {CALL2_REF}. He will fax both by {promise2} 5:00 PM.
",
        verify = iso(d.verification()),
        fax = iso(d.fax()),
        call1 = iso(d.first_call()),
        promise1 = iso(d.first_promise()),
        portal = iso(d.portal_check()),
        received = iso(d.received()),
        notice = iso(d.notice()),
        call2 = iso(d.second_call()),
        promise2 = iso(d.second_promise()),
    )
}
