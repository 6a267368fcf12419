/**
 * English function words plus the boilerplate of abstracts ("propose", "results"): they carry no topic.
 * Shared by the embedded model (their vectors are zero) and topic labelling (never a label).
 */
const FUNCTION_WORDS = `a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each either few for from further had has have
having he her here hers herself him himself his how however i if in into is it its itself just least less more
most much must my myself neither no nor not now of off often on once one only or other our ours ourselves out
over own same several she should since so some such than that the their theirs them themselves then there
therefore these they this those though through thus to too under until up upon us very via was we were what
when where whether which while who whom whose why will with within without would yet you your yours yourself
yourselves e g i.e. eg ie etc vs`;

const ABSTRACT_BOILERPLATE = `paper propose proposed proposes present presents presented introduce introduces introduced
approach approaches method methods result results show shows shown demonstrate demonstrates demonstrated novel
new work study studies based use used using achieve achieves achieved performance state art existing recent
recently significant significantly extensive experiments experiment experimental effective effectiveness
furthermore moreover however well various different first two three code available github com https http www
further find found given provide provides via across various while despite way ways make makes making many
framework task tasks data model models`;

export const STOPWORDS: ReadonlySet<string> = new Set(FUNCTION_WORDS.split(/\s+/).filter(Boolean));

/** Stop words plus abstract boilerplate: what topic labels must never be made of. */
export const LABEL_STOPWORDS: ReadonlySet<string> = new Set([...STOPWORDS, ...ABSTRACT_BOILERPLATE.split(/\s+/).filter(Boolean)]);
