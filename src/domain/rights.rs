//! The data subjects' rights, derived for each purpose from its lawful basis and facts as the
//! law decides them, each with the article of the rule that gives or limits it (ICO column 16).
//!
//! The rules, in words a DPO can check (docs/law.md repeats them):
//! - information (Arts 13-14), access (Art. 15), rectification (Art. 16), restriction
//!   (Art. 18) and complaint (Art. 77) apply to every purpose;
//! - erasure (Art. 17) applies to every purpose, limited where the purpose rests on a legal
//!   obligation or a public task (Art. 17(3)(b));
//! - portability (Art. 20(1)) only where the purpose rests on consent (Art. 6(1)(a) or
//!   Art. 9(2)(a)) or a contract (Art. 6(1)(b)) and is carried out by automated means;
//! - objection (Art. 21(1)) where the purpose rests on a public task or legitimate interests;
//! - the absolute objection to direct marketing (Art. 21(2)-(3)) where the purpose is direct
//!   marketing, whatever its basis;
//! - the Art. 22 rights only where the activity takes solely automated decisions with legal or
//!   similarly significant effects;
//! - withdrawal of consent (Art. 7(3)) wherever consent is relied on, explicit consent under
//!   Art. 9(2)(a) included.
//!
//! An Art. 9(2) condition is recorded for the activity, so explicit consent counts for each of
//! its purposes. Processor activities carry no rights of their own: the controller answers them.
//!
//! Uses `domain::vocab`.

use super::vocab::{AutomatedProcessing, LawfulBasis, Right, SpecialCondition};

/// What decides the rights of one purpose.
#[derive(Debug, Clone, Copy)]
pub struct PurposeFacts<'a> {
    /// Its Art. 6(1) bases.
    pub bases: &'a [LawfulBasis],
    /// The activity's Art. 9(2) conditions.
    pub special_conditions: &'a [SpecialCondition],
    /// Whether the purpose is direct marketing.
    pub direct_marketing: bool,
    /// Whether the processing is carried out by automated means (Art. 20(1)(b)).
    pub automated_means: bool,
    /// The activity's automated processing (Art. 22).
    pub automated: AutomatedProcessing,
}

/// A right that applies to a purpose, with the rule that gives it and any limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entitlement {
    /// The right.
    pub right: Right,
    /// The article of the rule that gives it here.
    pub rule: &'static str,
    /// Why it is limited, with the article; `None` when it applies in full.
    pub limit: Option<&'static str>,
}

impl Entitlement {
    fn full(right: Right, rule: &'static str) -> Self {
        Self {
            right,
            rule,
            limit: None,
        }
    }
}

/// The limit on erasure where a purpose rests on a legal obligation or a public task.
pub const ERASURE_LIMIT: &str = "limited: the processing is necessary to comply with a legal obligation or for a task in the public interest or in the exercise of official authority (Art. 17(3)(b))";

/// The rights of one purpose, in the order of the GDPR's chapters.
pub fn rights_of_purpose(p: &PurposeFacts<'_>) -> Vec<Entitlement> {
    let has = |b: LawfulBasis| p.bases.contains(&b);
    let explicit_consent = p
        .special_conditions
        .contains(&SpecialCondition::ExplicitConsent);
    let consent = has(LawfulBasis::Consent) || explicit_consent;
    let mut out = vec![
        Entitlement::full(Right::Informed, "Arts 13-14"),
        Entitlement::full(Right::Access, "Art. 15"),
        Entitlement::full(Right::Rectification, "Art. 16"),
    ];
    let erasure_limited = has(LawfulBasis::LegalObligation) || has(LawfulBasis::PublicTask);
    out.push(Entitlement {
        right: Right::Erasure,
        rule: if erasure_limited {
            "Art. 17(3)(b)"
        } else {
            "Art. 17(1)"
        },
        limit: erasure_limited.then_some(ERASURE_LIMIT),
    });
    out.push(Entitlement::full(Right::Restriction, "Art. 18"));
    if (consent || has(LawfulBasis::Contract)) && p.automated_means {
        out.push(Entitlement::full(Right::Portability, "Art. 20(1)(a)-(b)"));
    }
    if has(LawfulBasis::PublicTask) || has(LawfulBasis::LegitimateInterests) {
        out.push(Entitlement::full(Right::Object, "Art. 21(1)"));
    }
    if p.direct_marketing {
        out.push(Entitlement::full(
            Right::ObjectDirectMarketing,
            "Art. 21(2)-(3)",
        ));
    }
    if p.automated == AutomatedProcessing::SolelyAutomatedDecisions {
        out.push(Entitlement::full(
            Right::AutomatedDecisions,
            "Art. 22(1), (3)",
        ));
    }
    if consent {
        out.push(Entitlement::full(
            Right::WithdrawConsent,
            if explicit_consent && !has(LawfulBasis::Consent) {
                "Art. 7(3); Art. 9(2)(a)"
            } else {
                "Art. 7(3)"
            },
        ));
    }
    out.push(Entitlement::full(Right::Complaint, "Art. 77"));
    out
}

/// A right of the activity with the purposes (numbered from 1) it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRight {
    /// The right.
    pub right: Right,
    /// The purposes it applies to, numbered from 1 in the record's order.
    pub purposes: Vec<usize>,
    /// The purposes where it is limited, with the reason.
    pub limited: Vec<(usize, &'static str)>,
    /// The articles of the rules that give it, without repeats.
    pub rules: Vec<&'static str>,
}

impl ActivityRight {
    /// Whether it applies to every one of `n` purposes.
    pub fn applies_to_all(&self, n: usize) -> bool {
        self.purposes.len() == n
    }

    /// The right in one line: label, article, the purposes it applies to and its limits.
    pub fn summary(&self, purposes: usize) -> String {
        let mut text = format!("{} ({})", self.right.label(), self.rules.join("; "));
        if !self.applies_to_all(purposes) {
            let list: Vec<String> = self.purposes.iter().map(|n| n.to_string()).collect();
            let word = if self.purposes.len() == 1 {
                "purpose"
            } else {
                "purposes"
            };
            text.push_str(&format!(": {word} {}", list.join(", ")));
        }
        if let Some((_, why)) = self.limited.first() {
            let list: Vec<String> = self.limited.iter().map(|(n, _)| n.to_string()).collect();
            if self.limited.len() == self.purposes.len() {
                text.push_str(&format!(", {why}"));
            } else {
                text.push_str(&format!(", for purpose {}: {why}", list.join(", ")));
            }
        }
        text
    }
}

/// The rights of each purpose merged for the activity: each right once, with the purposes it
/// applies to, in the order of [`rights_of_purpose`].
pub fn merge(per_purpose: &[Vec<Entitlement>]) -> Vec<ActivityRight> {
    let mut out: Vec<ActivityRight> = Vec::new();
    for (i, rights) in per_purpose.iter().enumerate() {
        for e in rights {
            let at = match out.iter().position(|r| r.right == e.right) {
                Some(at) => at,
                None => {
                    out.push(ActivityRight {
                        right: e.right,
                        purposes: Vec::new(),
                        limited: Vec::new(),
                        rules: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let r = &mut out[at];
            r.purposes.push(i + 1);
            if let Some(limit) = e.limit {
                r.limited.push((i + 1, limit));
            }
            if !r.rules.contains(&e.rule) {
                r.rules.push(e.rule);
            }
        }
    }
    out.sort_by_key(|r| Right::ALL.iter().position(|x| *x == r.right));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use AutomatedProcessing as A;
    use LawfulBasis as B;
    use Right as R;

    /// The rights of a purpose as (right, rule, limited) triples.
    fn derive(
        bases: &[B],
        conditions: &[SpecialCondition],
        direct_marketing: bool,
        automated_means: bool,
        automated: A,
    ) -> Vec<(R, &'static str, bool)> {
        rights_of_purpose(&PurposeFacts {
            bases,
            special_conditions: conditions,
            direct_marketing,
            automated_means,
            automated,
        })
        .into_iter()
        .map(|e| (e.right, e.rule, e.limit.is_some()))
        .collect()
    }

    const ALWAYS_BEFORE: [(R, &str, bool); 3] = [
        (R::Informed, "Arts 13-14", false),
        (R::Access, "Art. 15", false),
        (R::Rectification, "Art. 16", false),
    ];

    fn expected(middle: &[(R, &'static str, bool)]) -> Vec<(R, &'static str, bool)> {
        let mut v = ALWAYS_BEFORE.to_vec();
        v.extend_from_slice(middle);
        v.push((R::Complaint, "Art. 77", false));
        v
    }

    #[test]
    fn every_basis_with_and_without_each_fact_gives_the_rights_of_the_law() {
        let erasure = (R::Erasure, "Art. 17(1)", false);
        let erasure_limited = (R::Erasure, "Art. 17(3)(b)", true);
        let restriction = (R::Restriction, "Art. 18", false);
        let portability = (R::Portability, "Art. 20(1)(a)-(b)", false);
        let object = (R::Object, "Art. 21(1)", false);
        let marketing = (R::ObjectDirectMarketing, "Art. 21(2)-(3)", false);
        let adm = (R::AutomatedDecisions, "Art. 22(1), (3)", false);
        let withdraw = (R::WithdrawConsent, "Art. 7(3)", false);
        let none = A::NoAutomatedDecisions;
        // (bases, Art. 9(2) conditions, direct marketing, automated means, Art. 22, rights)
        type Case = (
            Vec<B>,
            Vec<SpecialCondition>,
            bool,
            bool,
            A,
            Vec<(R, &'static str, bool)>,
        );
        let table: Vec<Case> = vec![
            (
                vec![B::Consent],
                vec![],
                false,
                true,
                none,
                vec![erasure, restriction, portability, withdraw],
            ),
            (
                vec![B::Consent],
                vec![],
                false,
                false,
                none,
                vec![erasure, restriction, withdraw],
            ),
            (
                vec![B::Consent],
                vec![],
                true,
                true,
                none,
                vec![erasure, restriction, portability, marketing, withdraw],
            ),
            (
                vec![B::Contract],
                vec![],
                false,
                true,
                none,
                vec![erasure, restriction, portability],
            ),
            (
                vec![B::Contract],
                vec![],
                false,
                false,
                none,
                vec![erasure, restriction],
            ),
            (
                vec![B::LegalObligation],
                vec![],
                false,
                true,
                none,
                vec![erasure_limited, restriction],
            ),
            (
                vec![B::VitalInterests],
                vec![],
                false,
                true,
                none,
                vec![erasure, restriction],
            ),
            (
                vec![B::PublicTask],
                vec![],
                false,
                true,
                none,
                vec![erasure_limited, restriction, object],
            ),
            (
                vec![B::LegitimateInterests],
                vec![],
                false,
                true,
                none,
                vec![erasure, restriction, object],
            ),
            (
                vec![B::LegitimateInterests],
                vec![],
                true,
                true,
                none,
                vec![erasure, restriction, object, marketing],
            ),
            (
                vec![B::LegitimateInterests],
                vec![],
                false,
                true,
                A::ProfilingWithoutDecisions,
                vec![erasure, restriction, object],
            ),
            (
                vec![B::LegitimateInterests],
                vec![],
                false,
                true,
                A::SolelyAutomatedDecisions,
                vec![erasure, restriction, object, adm],
            ),
            (
                vec![B::Contract],
                vec![],
                false,
                true,
                A::SolelyAutomatedDecisions,
                vec![erasure, restriction, portability, adm],
            ),
            // Explicit consent under Art. 9(2)(a) is consent for portability and withdrawal.
            (
                vec![B::LegalObligation],
                vec![SpecialCondition::ExplicitConsent],
                false,
                true,
                none,
                vec![
                    erasure_limited,
                    restriction,
                    portability,
                    (R::WithdrawConsent, "Art. 7(3); Art. 9(2)(a)", false),
                ],
            ),
            (
                vec![B::LegalObligation],
                vec![SpecialCondition::EmploymentSocialSecurityLaw],
                false,
                true,
                none,
                vec![erasure_limited, restriction],
            ),
            // Several bases: each rule follows the bases that call for it.
            (
                vec![B::Consent, B::LegalObligation],
                vec![],
                false,
                true,
                none,
                vec![erasure_limited, restriction, portability, withdraw],
            ),
            (
                vec![B::Contract, B::LegitimateInterests],
                vec![],
                false,
                true,
                none,
                vec![erasure, restriction, portability, object],
            ),
        ];
        for (bases, conditions, dm, auto, adm_case, middle) in table {
            assert_eq!(
                derive(&bases, &conditions, dm, auto, adm_case),
                expected(&middle),
                "{bases:?} {conditions:?} direct marketing {dm} automated means {auto} {adm_case:?}"
            );
        }
    }

    #[test]
    fn merged_rights_name_the_purposes_they_apply_to() {
        let newsletter = rights_of_purpose(&PurposeFacts {
            bases: &[B::Consent],
            special_conditions: &[],
            direct_marketing: true,
            automated_means: true,
            automated: A::NoAutomatedDecisions,
        });
        let tax = rights_of_purpose(&PurposeFacts {
            bases: &[B::LegalObligation],
            special_conditions: &[],
            direct_marketing: false,
            automated_means: true,
            automated: A::NoAutomatedDecisions,
        });
        let merged = merge(&[newsletter, tax]);
        let find = |r: R| merged.iter().find(|m| m.right == r).cloned();
        let erasure = find(R::Erasure).expect("erasure");
        assert_eq!(erasure.purposes, vec![1, 2]);
        assert_eq!(erasure.limited, vec![(2, ERASURE_LIMIT)]);
        assert_eq!(erasure.rules, vec!["Art. 17(1)", "Art. 17(3)(b)"]);
        assert!(erasure.summary(2).contains("for purpose 2: limited"));
        let marketing = find(R::ObjectDirectMarketing).expect("direct marketing");
        assert_eq!(marketing.purposes, vec![1]);
        assert_eq!(
            marketing.summary(2),
            "Right to object to direct marketing (Art. 21(2)-(3)): purpose 1"
        );
        assert!(find(R::Object).is_none());
        assert_eq!(
            find(R::Access).expect("access").summary(2),
            "Right of access (Art. 15)"
        );
    }
}
