//! Fixed vocabularies of the law: every code the register decides on, with its label and article.
//!
//! Codes are stable snake_case identifiers (they are stored in the database and in exports);
//! labels and article references travel with them so that every page can show the law behind
//! a field. The codes match `vocabularies.json`, which a test checks.
//!
//! Uses `domain::reference`.

use std::fmt;

/// Declares a closed vocabulary: an enum whose variants carry a stable code, an article and a label.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $article:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $(#[doc = $label] $variant),+ }

        impl $name {
            /// Every value, in the order the law lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case code stored in the database and in exports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The article of the GDPR (or the guidance) this value comes from.
            pub fn article(self) -> &'static str {
                match self { $($name::$variant => $article),+ }
            }

            /// The human-readable label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a stored or submitted code; `None` for anything unknown.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = String::deserialize(d)?;
                $name::from_code(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} code `{}`", stringify!($name), code))
                })
            }
        }
    };
}

pub(crate) use vocabulary;

vocabulary! {
    /// Whether the organisation keeps the activity as controller or as processor.
    Role {
        Controller => "controller", "Art. 30(1)", "Controller";
        Processor => "processor", "Art. 30(2)", "Processor";
    }
}

vocabulary! {
    /// Life cycle of an activity: only active ones make up the current register.
    Status {
        Draft => "draft", "", "Draft";
        Active => "active", "", "Active";
        Retired => "retired", "", "Retired";
    }
}

vocabulary! {
    /// Art. 6(1) lawful bases.
    LawfulBasis {
        Consent => "consent", "Art. 6(1)(a)", "Consent";
        Contract => "contract", "Art. 6(1)(b)", "Contract";
        LegalObligation => "legal_obligation", "Art. 6(1)(c)", "Legal obligation";
        VitalInterests => "vital_interests", "Art. 6(1)(d)", "Vital interests";
        PublicTask => "public_task", "Art. 6(1)(e)", "Public task";
        LegitimateInterests => "legitimate_interests", "Art. 6(1)(f)", "Legitimate interests";
    }
}

vocabulary! {
    /// Art. 9(2) conditions that lift the prohibition on special-category data.
    SpecialCondition {
        ExplicitConsent => "explicit_consent", "Art. 9(2)(a)", "Explicit consent";
        EmploymentSocialSecurityLaw => "employment_social_security_law", "Art. 9(2)(b)", "Employment, social security and social protection law";
        VitalInterestsNoCapacity => "vital_interests_no_capacity", "Art. 9(2)(c)", "Vital interests where the data subject cannot consent";
        NotForProfitBody => "not_for_profit_body", "Art. 9(2)(d)", "Not-for-profit body with a political, philosophical, religious or trade-union aim";
        ManifestlyMadePublic => "manifestly_made_public", "Art. 9(2)(e)", "Manifestly made public by the data subject";
        LegalClaimsOrCourts => "legal_claims_or_courts", "Art. 9(2)(f)", "Legal claims or courts acting in their judicial capacity";
        SubstantialPublicInterest => "substantial_public_interest", "Art. 9(2)(g)", "Substantial public interest on the basis of law";
        HealthOrSocialCare => "health_or_social_care", "Art. 9(2)(h)", "Preventive or occupational medicine, health or social care";
        PublicHealth => "public_health", "Art. 9(2)(i)", "Public interest in the area of public health";
        ArchivingResearchStatistics => "archiving_research_statistics", "Art. 9(2)(j)", "Archiving, scientific or historical research, statistics";
    }
}

impl SpecialCondition {
    /// Conditions that only apply on a basis in Union or Member State law, which the record should cite.
    pub fn needs_basis_in_law(self) -> bool {
        matches!(
            self,
            Self::EmploymentSocialSecurityLaw
                | Self::SubstantialPublicInterest
                | Self::HealthOrSocialCare
                | Self::PublicHealth
                | Self::ArchivingResearchStatistics
        )
    }
}

vocabulary! {
    /// Art. 10: the ways criminal-offence data may be processed.
    CriminalBasis {
        OfficialAuthorityControl => "official_authority_control", "Art. 10", "Under the control of official authority";
        AuthorisedByLawWithSafeguards => "authorised_by_law_with_safeguards", "Art. 10", "Authorised by Union or Member State law with appropriate safeguards";
    }
}

vocabulary! {
    /// Chapter V transfer mechanisms.
    TransferMechanism {
        AdequacyDecision => "adequacy_decision", "Art. 45(3)", "Adequacy decision of the European Commission";
        PublicAuthorityInstrument => "public_authority_instrument", "Art. 46(2)(a)", "Binding instrument between public authorities";
        BindingCorporateRules => "binding_corporate_rules", "Art. 46(2)(b); Art. 47", "Binding corporate rules";
        SccModule1 => "scc_2021_914_module_1_c2c", "Art. 46(2)(c)", "SCC 2021/914 Module 1: controller to controller";
        SccModule2 => "scc_2021_914_module_2_c2p", "Art. 46(2)(c)", "SCC 2021/914 Module 2: controller to processor";
        SccModule3 => "scc_2021_914_module_3_p2p", "Art. 46(2)(c)", "SCC 2021/914 Module 3: processor to processor";
        SccModule4 => "scc_2021_914_module_4_p2c", "Art. 46(2)(c)", "SCC 2021/914 Module 4: processor to controller";
        SccSupervisoryAuthority => "scc_supervisory_authority", "Art. 46(2)(d)", "Clauses adopted by a supervisory authority";
        CodeOfConduct => "code_of_conduct", "Art. 46(2)(e); Art. 40", "Approved code of conduct";
        Certification => "certification", "Art. 46(2)(f); Art. 42", "Approved certification mechanism";
        AdHocContractualClauses => "ad_hoc_contractual_clauses", "Art. 46(3)(a)", "Ad hoc contractual clauses (SA authorisation)";
        AdministrativeArrangement => "administrative_arrangement", "Art. 46(3)(b)", "Administrative arrangement between public bodies (SA authorisation)";
        DerogationExplicitConsent => "derogation_explicit_consent", "Art. 49(1)(a)", "Derogation: explicit consent";
        DerogationContractWithDataSubject => "derogation_contract_with_data_subject", "Art. 49(1)(b)", "Derogation: contract with the data subject";
        DerogationContractInDataSubjectInterest => "derogation_contract_in_data_subject_interest", "Art. 49(1)(c)", "Derogation: contract in the data subject's interest";
        DerogationPublicInterest => "derogation_public_interest", "Art. 49(1)(d); Art. 49(4)", "Derogation: important reasons of public interest";
        DerogationLegalClaims => "derogation_legal_claims", "Art. 49(1)(e)", "Derogation: legal claims";
        DerogationVitalInterests => "derogation_vital_interests", "Art. 49(1)(f)", "Derogation: vital interests";
        DerogationPublicRegister => "derogation_public_register", "Art. 49(1)(g); Art. 49(2)", "Derogation: transfer from a public register";
        CompellingLegitimateInterests => "compelling_legitimate_interests", "Art. 49(1) second subparagraph", "Compelling legitimate interests (exceptional transfer)";
    }
}

impl TransferMechanism {
    /// Art. 30(1)(e) and 49(6): the record itself must document the assessment and safeguards.
    pub fn requires_documented_safeguards(self) -> bool {
        self == Self::CompellingLegitimateInterests
    }

    /// The heading under which the mechanism is listed in a choice.
    pub fn group(self) -> &'static str {
        match self {
            Self::AdequacyDecision => "Adequacy (Art. 45)",
            Self::AdHocContractualClauses | Self::AdministrativeArrangement => {
                "Appropriate safeguards with SA authorisation (Art. 46(3))"
            }
            Self::DerogationExplicitConsent
            | Self::DerogationContractWithDataSubject
            | Self::DerogationContractInDataSubjectInterest
            | Self::DerogationPublicInterest
            | Self::DerogationLegalClaims
            | Self::DerogationVitalInterests
            | Self::DerogationPublicRegister => "Derogations (Art. 49(1))",
            Self::CompellingLegitimateInterests => "Exceptional (Art. 49(1), second subparagraph)",
            _ => "Appropriate safeguards (Art. 46(2))",
        }
    }
}

vocabulary! {
    /// What a party is to the organisation: the kinds of recipient and counterpart.
    PartyKind {
        InternalDepartment => "internal_department", "Art. 30(1)(d)", "Internal department";
        Processor => "processor", "Art. 4(8); Art. 28", "Processor";
        SubProcessor => "sub_processor", "Art. 28(2), (4)", "Sub-processor";
        JointController => "joint_controller", "Art. 26", "Joint controller";
        IndependentController => "independent_controller", "Art. 4(7)", "Independent controller or third party";
        ClientController => "client_controller", "Art. 30(2)(a)", "Controller we act for (client)";
        PublicAuthority => "public_authority", "Art. 4(9)", "Public authority";
    }
}

impl PartyKind {
    /// Parties bound by an Art. 28 contract, whose reference and date the record keeps.
    pub fn has_processing_contract(self) -> bool {
        matches!(self, Self::Processor | Self::SubProcessor)
    }
}

vocabulary! {
    /// How sensitive a personal-data category is in law.
    Sensitivity {
        Standard => "standard", "Art. 4(1)", "Standard personal data";
        SpecialCategory => "special_category", "Art. 9(1)", "Special category (Art. 9)";
        CriminalOffence => "criminal_offence", "Art. 10", "Criminal-offence data (Art. 10)";
    }
}

vocabulary! {
    /// Technical or organisational measure (Art. 32(1)).
    MeasureKind {
        Technical => "technical", "Art. 32(1)", "Technical";
        Organisational => "organisational", "Art. 32(1)", "Organisational";
    }
}

vocabulary! {
    /// Family a security measure belongs to, for grouping in choices and exports.
    MeasureFamily {
        AccessControl => "access_control", "Art. 32(1)(b)", "Access control and authentication";
        Encryption => "encryption", "Art. 32(1)(a)", "Encryption and pseudonymisation";
        Logging => "logging", "Art. 32(1)(b)", "Logging and monitoring";
        Backup => "backup", "Art. 32(1)(c)", "Backup and continuity";
        SystemsSecurity => "systems_security", "Art. 32(1)(b)", "Systems, network and software security";
        Physical => "physical", "Art. 32(1)(b)", "Physical security";
        Governance => "governance", "Art. 32(1)(d)", "Governance, testing and people";
        Processors => "processors", "Art. 28(1)", "Processor oversight";
        Other => "other", "Art. 32(1)", "Other";
    }
}

vocabulary! {
    /// Whether a DPIA is required (Art. 35), as the DPO assessed it.
    DpiaRequired {
        NotAssessed => "not_assessed", "Art. 35", "Not yet assessed";
        Yes => "yes", "Art. 35", "Yes";
        No => "no", "Art. 35", "No";
    }
}

vocabulary! {
    /// Progress of the DPIA (ICO column 22).
    DpiaStatus {
        NotApplicable => "not_applicable", "Art. 35", "Not applicable";
        NotStarted => "not_started", "Art. 35", "Not started";
        InProgress => "in_progress", "Art. 35", "In progress";
        Completed => "completed", "Art. 35", "Completed";
        UnderReview => "under_review", "Art. 35(11)", "Under review";
    }
}

vocabulary! {
    /// Unit of a retention period.
    RetentionUnit {
        Days => "days", "Art. 5(1)(e)", "days";
        Months => "months", "Art. 5(1)(e)", "months";
        Years => "years", "Art. 5(1)(e)", "years";
    }
}

vocabulary! {
    /// Data-subject rights (Chapter III and related articles) shown for an activity.
    Right {
        Informed => "right_to_be_informed", "Arts 13-14", "Right to be informed";
        Access => "right_of_access", "Art. 15", "Right of access";
        Rectification => "right_to_rectification", "Art. 16", "Right to rectification";
        Erasure => "right_to_erasure", "Art. 17", "Right to erasure";
        Restriction => "right_to_restriction", "Art. 18", "Right to restriction of processing";
        Portability => "right_to_data_portability", "Art. 20", "Right to data portability";
        Object => "right_to_object", "Art. 21", "Right to object";
        ObjectDirectMarketing => "right_to_object_direct_marketing", "Art. 21(2)-(3)", "Right to object to direct marketing";
        AutomatedDecisions => "automated_decision_making_rights", "Art. 22", "Rights related to automated decision-making";
        WithdrawConsent => "right_to_withdraw_consent", "Art. 7(3)", "Right to withdraw consent";
        Complaint => "right_to_lodge_complaint", "Art. 77", "Right to lodge a complaint with a supervisory authority";
    }
}

/// The rights the law gives for a set of lawful bases (ICO column 16).
///
/// Portability applies to consent and contract (Art. 20(1)(a)); objection to public task and
/// legitimate interests (Art. 21(1)); erasure is limited for legal obligation and public task
/// (Art. 17(3)(b)); withdrawal of consent only where consent is the basis (Art. 7(3)).
pub fn rights_for(bases: &[LawfulBasis], automated_decision: bool) -> Vec<Right> {
    let has = |b: LawfulBasis| bases.contains(&b);
    let mut rights = vec![Right::Informed, Right::Access, Right::Rectification];
    let erasure_limited = !bases.is_empty()
        && bases
            .iter()
            .all(|b| matches!(b, LawfulBasis::LegalObligation | LawfulBasis::PublicTask));
    if !erasure_limited {
        rights.push(Right::Erasure);
    }
    rights.push(Right::Restriction);
    if has(LawfulBasis::Consent) || has(LawfulBasis::Contract) {
        rights.push(Right::Portability);
    }
    if has(LawfulBasis::PublicTask) || has(LawfulBasis::LegitimateInterests) {
        rights.push(Right::Object);
        rights.push(Right::ObjectDirectMarketing);
    }
    if automated_decision {
        rights.push(Right::AutomatedDecisions);
    }
    if has(LawfulBasis::Consent) {
        rights.push(Right::WithdrawConsent);
    }
    rights.push(Right::Complaint);
    rights
}

/// The EEA: transfers between these states are not Chapter V transfers.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// A valid ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(isocountry::CountryCode);

impl Country {
    /// Parses an ISO 3166-1 alpha-2 code in any case; `None` if there is no such country.
    pub fn parse(code: &str) -> Option<Self> {
        isocountry::CountryCode::for_alpha2_caseless(code.trim())
            .ok()
            .map(Country)
    }

    /// The two-letter code.
    pub fn code(self) -> &'static str {
        self.0.alpha2()
    }

    /// The English short name.
    pub fn name(self) -> &'static str {
        match self.code() {
            "GB" => "United Kingdom",
            "US" => "United States",
            "KR" => "Republic of Korea",
            "CZ" => "Czechia",
            "NL" => "Netherlands",
            _ => self.0.name(),
        }
    }

    /// Whether the country is in the European Economic Area.
    pub fn in_eea(self) -> bool {
        EEA.contains(&self.code())
    }

    /// The Commission's adequacy decision for this country, if there is one.
    pub fn adequacy(self) -> Option<&'static super::reference::Adequacy> {
        super::reference::adequacy_for(self.code())
    }

    /// Every country, sorted by name, for choices.
    pub fn all() -> &'static [Country] {
        static ALL: std::sync::LazyLock<Vec<Country>> = std::sync::LazyLock::new(|| {
            let mut all: Vec<Country> = isocountry::CountryCode::iter()
                .map(|c| Country(*c))
                .collect();
            all.sort_by_key(|c| c.name());
            all
        });
        &ALL
    }

    /// Every country outside the EEA (possible transfer destinations), sorted by name.
    pub fn third_countries() -> &'static [Country] {
        static THIRD: std::sync::LazyLock<Vec<Country>> = std::sync::LazyLock::new(|| {
            Country::all()
                .iter()
                .copied()
                .filter(|c| !c.in_eea())
                .collect()
        });
        &THIRD
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn reference() -> Value {
        serde_json::from_str(include_str!("vocabularies.json")).expect("vocabularies.json parses")
    }

    fn codes(v: &Value, key: &str) -> Vec<(String, String)> {
        v[key]
            .as_array()
            .expect("list")
            .iter()
            .map(|e| {
                (
                    e["code"].as_str().unwrap_or_default().to_owned(),
                    e["article"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn enums_carry_the_reference_codes_and_articles() {
        let v = reference();
        let pairs = |all: Vec<(&str, &str)>| -> Vec<(String, String)> {
            all.into_iter()
                .map(|(c, a)| (c.to_owned(), a.to_owned()))
                .collect()
        };
        assert_eq!(
            pairs(
                LawfulBasis::ALL
                    .iter()
                    .map(|b| (b.code(), b.article()))
                    .collect()
            ),
            codes(&v, "lawful_bases")
        );
        assert_eq!(
            pairs(
                SpecialCondition::ALL
                    .iter()
                    .map(|b| (b.code(), b.article()))
                    .collect()
            ),
            codes(&v, "special_category_conditions")
        );
        assert_eq!(
            pairs(
                TransferMechanism::ALL
                    .iter()
                    .map(|b| (b.code(), b.article()))
                    .collect()
            ),
            codes(&v, "transfer_mechanisms")
        );
        let crim: Vec<String> = v["criminal_offence_data"]["conditions"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["code"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            CriminalBasis::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>(),
            crim
        );
        let eea: Vec<String> = v["eea"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["iso2"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(EEA.iter().map(|c| c.to_string()).collect::<Vec<_>>(), eea);
        for right in Right::ALL {
            assert!(
                v["data_subject_rights"]
                    .as_array()
                    .expect("list")
                    .iter()
                    .any(|r| r["code"] == right.code() && r["article"] == right.article()),
                "{right:?}"
            );
        }
    }

    #[test]
    fn rights_follow_the_lawful_basis() {
        let consent = rights_for(&[LawfulBasis::Consent], false);
        assert!(consent.contains(&Right::Portability));
        assert!(consent.contains(&Right::WithdrawConsent));
        assert!(!consent.contains(&Right::Object));
        let legal = rights_for(&[LawfulBasis::LegalObligation], false);
        assert!(!legal.contains(&Right::Erasure));
        assert!(!legal.contains(&Right::Portability));
        let li = rights_for(&[LawfulBasis::LegitimateInterests], true);
        assert!(li.contains(&Right::Object));
        assert!(li.contains(&Right::AutomatedDecisions));
    }

    #[test]
    fn countries_parse_and_know_the_eea() {
        let de = Country::parse("de").expect("DE");
        assert!(de.in_eea());
        let us = Country::parse("US").expect("US");
        assert!(!us.in_eea());
        assert!(us.adequacy().is_some());
        assert!(Country::parse("XX").is_none());
        assert!(Country::parse("").is_none());
    }
}
