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

    /// The exceptional transfers of Art. 49: the derogations of Art. 49(1) and the
    /// second-subparagraph transfer on compelling legitimate interests (ICO column 9).
    pub fn is_exceptional(self) -> bool {
        matches!(
            self,
            Self::DerogationExplicitConsent
                | Self::DerogationContractWithDataSubject
                | Self::DerogationContractInDataSubjectInterest
                | Self::DerogationPublicInterest
                | Self::DerogationLegalClaims
                | Self::DerogationVitalInterests
                | Self::DerogationPublicRegister
                | Self::CompellingLegitimateInterests
        )
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
        NationalIdentifier => "national_identifier", "Art. 87", "National identification number (Art. 87; sensitive for the CNIL)";
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
        Hours => "hours", "Art. 5(1)(e)", "hours";
        Days => "days", "Art. 5(1)(e)", "days";
        Weeks => "weeks", "Art. 5(1)(e)", "weeks";
        Months => "months", "Art. 5(1)(e)", "months";
        Years => "years", "Art. 5(1)(e)", "years";
    }
}

impl RetentionUnit {
    /// The period in words with the unit in the right number: "1 month", "72 hours".
    pub fn with_value(self, value: i32) -> String {
        let unit = self.label();
        if value == 1 {
            format!("1 {}", unit.strip_suffix('s').unwrap_or(unit))
        } else {
            format!("{value} {unit}")
        }
    }
}

vocabulary! {
    /// Automated processing of the activity (Art. 22, Art. 4(4)): the three cases the law
    /// treats differently. Only solely automated decisions with legal or similarly significant
    /// effects bring the Art. 22 rights.
    AutomatedProcessing {
        NoAutomatedDecisions => "none", "Art. 22(1)", "No profiling or automated decision-making";
        ProfilingWithoutDecisions => "profiling", "Art. 4(4)", "Profiling or automated processing, without solely automated decisions with legal or similarly significant effects";
        SolelyAutomatedDecisions => "solely_automated_decisions", "Art. 22(1)", "Solely automated decisions with legal or similarly significant effects";
    }
}

vocabulary! {
    /// The Art. 22(2) exceptions that allow a solely automated decision.
    AutomatedDecisionException {
        Contract => "contract", "Art. 22(2)(a)", "Necessary for entering into or performing a contract with the data subject";
        AuthorisedByLaw => "authorised_by_law", "Art. 22(2)(b)", "Authorised by Union or Member State law with suitable safeguards";
        ExplicitConsent => "explicit_consent", "Art. 22(2)(c)", "Based on the data subject's explicit consent";
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
            "TR" => "Türkiye",
            "AX" => "Åland Islands",
            "RE" => "Réunion",
            _ => self.0.name(),
        }
    }

    /// Whether the GDPR applies there as in the EEA, so that sending data there is not a
    /// Chapter V transfer: the EEA states, and the EU's outermost regions and Aland, which
    /// carry their own ISO codes (GP, GF, MQ, YT, RE, MF, AX). Greenland, the overseas
    /// countries and territories and Svalbard and Jan Mayen are third countries.
    pub fn in_eea(self) -> bool {
        EEA.contains(&self.code())
            || super::reference::eu_territories()
                .iter()
                .any(|t| t == self.code())
    }

    /// Whether the last line of a postal address already names this country (in English, or
    /// by its code), so that the country need not be repeated under it.
    pub fn named_by(self, address: &str) -> bool {
        address.lines().last().is_some_and(|line| {
            let line = line.trim();
            line.eq_ignore_ascii_case(self.code())
                || line.to_lowercase().ends_with(&self.name().to_lowercase())
        })
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
    fn the_eu_territories_are_not_third_countries_and_the_octs_are() {
        let v = reference();
        let listed: Vec<String> = v["eea_territories_iso2"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c.as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(listed, ["GP", "GF", "MQ", "YT", "RE", "MF", "AX"]);
        for code in listed {
            let c = Country::parse(&code).expect("ISO code");
            assert!(c.in_eea(), "{code} is EU territory");
            assert!(!Country::third_countries().contains(&c), "{code}");
        }
        for code in [
            "GL", "FO", "PM", "PF", "NC", "WF", "BL", "AW", "CW", "SX", "BQ", "SJ", "CH",
        ] {
            let c = Country::parse(code).expect("ISO code");
            assert!(!c.in_eea(), "{code} is a third country for Chapter V");
            assert!(Country::third_countries().contains(&c), "{code}");
        }
        assert_eq!(Country::parse("TR").map(|c| c.name()), Some("Türkiye"));
    }

    #[test]
    fn adequacy_decisions_carry_their_article_date_scope_and_end() {
        use crate::domain::reference::{adequacy_as_of, adequacy_for_organisation, ScopeEvidence};
        let old = [
            "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JE", "NZ", "CH", "UY",
        ];
        for code in old {
            let a = Country::parse(code).and_then(|c| c.adequacy()).expect(code);
            assert_eq!(a.legal_basis(), "Art. 45(9)", "{code}");
        }
        for code in ["JP", "KR", "GB", "US", "BR"] {
            let a = Country::parse(code).and_then(|c| c.adequacy()).expect(code);
            assert_eq!(a.legal_basis(), "Art. 45(3)", "{code}");
        }
        let uk = Country::parse("GB").and_then(|c| c.adequacy()).expect("UK");
        assert_eq!(uk.expires.as_deref(), Some("2031-12-27"));
        assert!(
            uk.citation().contains("until 2031-12-27"),
            "{}",
            uk.citation()
        );
        let us = Country::parse("US").and_then(|c| c.adequacy()).expect("US");
        assert_eq!(
            us.citation(),
            "Commission Implementing Decision (EU) 2023/1795 (EU-US Data Privacy Framework) of 2023-07-10 (Art. 45(3); partial)"
        );
        assert_eq!(us.scope_evidence(), Some(ScopeEvidence::DpfCertification));
        for code in ["CA", "IL", "JP", "KR"] {
            let a = Country::parse(code).and_then(|c| c.adequacy()).expect(code);
            assert_eq!(
                a.scope_evidence(),
                Some(ScopeEvidence::RecipientInScope),
                "{code}"
            );
        }
        assert_eq!(uk.scope_evidence(), None);
        assert!(adequacy_for_organisation("European Patent Organisation").is_some());
        assert!(adequacy_for_organisation("european patent organisation ").is_some());
        assert!(adequacy_for_organisation("United Nations").is_none());
        assert_eq!(adequacy_as_of(), "2026-01-28");
    }

    #[test]
    fn retention_periods_read_in_the_right_number() {
        assert_eq!(RetentionUnit::Months.with_value(1), "1 month");
        assert_eq!(RetentionUnit::Hours.with_value(72), "72 hours");
        assert_eq!(RetentionUnit::Weeks.with_value(1), "1 week");
        assert_eq!(RetentionUnit::Days.with_value(1), "1 day");
        assert_eq!(RetentionUnit::Years.with_value(10), "10 years");
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
