import type { NameLocale } from './demo-vocabulary.ts';
import type { Random } from './seeded-random.ts';

interface LocaleNames {
  female: readonly string[];
  male: readonly string[];
  last: readonly string[];
}

/** Comma-separated, because some surnames have spaces (`de Jong`, `van den Berg`). */
function names(female: string, male: string, last: string): LocaleNames {
  return { female: female.split(','), male: male.split(','), last: last.split(',') };
}

const NAMES: Record<NameLocale, LocaleNames> = {
  en: names(
    'Mary,Jennifer,Sarah,Emily,Jessica,Ashley,Laura,Rachel,Megan,Amanda,Olivia,Sophie,Emma,Hannah,Grace,Chloe,Lucy,Priya,Natalie,Katie',
    'James,Michael,David,Daniel,Chris,Matthew,Ryan,Kevin,Brian,Jason,Andrew,Tom,Liam,Noah,Ben,Sam,Jack,Oliver,Raj,Ethan',
    "Smith,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Martin,Jackson,Thompson,White,Harris,Clark,Lewis,Walker,Hall,Young,King,Wright,Evans,Roberts,Cooper,Hughes,Patel,Nguyen,O'Brien,Kelly",
  ),
  de: names(
    'Anna,Lena,Laura,Julia,Sarah,Lea,Katharina,Sophie,Hannah,Marie,Johanna,Franziska',
    'Lukas,Jonas,Felix,Maximilian,Leon,Paul,Tobias,Florian,Jan,Sebastian,Moritz,Stefan',
    'Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Koch,Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,Krüger,Hartmann,Lange',
  ),
  fr: names(
    'Camille,Léa,Chloé,Manon,Julie,Inès,Sarah,Pauline,Élodie,Claire,Margaux,Émilie',
    'Louis,Hugo,Lucas,Thomas,Antoine,Nicolas,Julien,Maxime,Mathieu,Alexandre,Guillaume,Théo',
    'Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,Lefèvre,Michel,Garcia,Bertrand,Roux,Vincent,Fournier,Girard,Bonnet,Mercier',
  ),
  pl: names(
    'Anna,Katarzyna,Agnieszka,Magdalena,Joanna,Aleksandra,Monika,Karolina,Natalia,Zuzanna,Marta',
    'Jakub,Piotr,Tomasz,Michał,Krzysztof,Paweł,Marcin,Łukasz,Kamil,Mateusz,Bartosz',
    'Nowak,Kowalski,Wiśniewski,Wójcik,Kowalczyk,Kamiński,Lewandowski,Zieliński,Szymański,Woźniak,Dąbrowski,Kozłowski,Jankowski,Mazur,Kwiatkowski,Krawczyk,Piotrowski,Grabowski',
  ),
  no: names(
    'Ingrid,Kari,Nora,Ida,Emma,Sofie,Maja,Thea,Silje,Ingeborg',
    'Ole,Lars,Henrik,Magnus,Sindre,Jonas,Erik,Anders,Håkon,Øyvind',
    'Hansen,Johansen,Olsen,Larsen,Andersen,Pedersen,Nilsen,Kristiansen,Jensen,Karlsen,Johnsen,Pettersen,Eriksen,Berg,Haugen,Hagen,Dahl,Lie,Solberg,Bakken,Sæther',
  ),
  it: names(
    'Giulia,Francesca,Chiara,Sara,Martina,Valentina,Elena,Alessia,Silvia,Federica',
    'Marco,Alessandro,Luca,Matteo,Andrea,Lorenzo,Davide,Simone,Federico,Giuseppe',
    'Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti',
  ),
  es: names(
    'Lucía,María,Laura,Paula,Marta,Elena,Carmen,Sara,Ana,Cristina',
    'Alejandro,Pablo,Javier,Daniel,Carlos,Sergio,Adrián,David,Álvaro,Diego',
    'García,Fernández,González,Rodríguez,López,Martínez,Sánchez,Pérez,Gómez,Martín,Jiménez,Ruiz,Hernández,Díaz,Moreno,Muñoz,Álvarez,Romero,Navarro,Torres',
  ),
  nl: names(
    'Emma,Julia,Sophie,Tess,Sanne,Lotte,Anouk,Fleur,Eva,Femke',
    'Daan,Sem,Lucas,Milan,Thijs,Bram,Jesse,Ruben,Niels,Joost',
    'de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Janssen,Visser,Smit,Meijer,de Boer,Mulder,de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer',
  ),
  pt: names(
    'Ana,Júlia,Beatriz,Mariana,Larissa,Camila,Fernanda,Amanda,Letícia,Carolina',
    'Lucas,Gabriel,Pedro,Rafael,Felipe,Bruno,Thiago,Gustavo,Rodrigo,Matheus',
    'Silva,Santos,Oliveira,Souza,Rodrigues,Ferreira,Alves,Pereira,Lima,Gomes,Costa,Ribeiro,Martins,Carvalho,Almeida,Lopes,Soares,Fernandes,Vieira,Barbosa',
  ),
};

const SPECIAL_LETTERS: Record<string, string> = { ø: 'o', æ: 'ae', å: 'a', ł: 'l', ß: 'ss', œ: 'oe' };

/** `Håkon Sæther` → `hakonsaether`: lower-case ASCII letters and digits only, for emails and domains. */
export function toAsciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[øæåłßœ]/g, (letter) => SPECIAL_LETTERS[letter] ?? '')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

/** Polish surnames ending in -ski/-cki/-dzki take the feminine -ska/-cka/-dzka. */
function feminine(lastName: string): string {
  return lastName.replace(/(sk|ck|dzk)i$/, '$1a');
}

/** Every name's slug, worked out once: a run picks names millions of times. */
const SLUGS: ReadonlyMap<string, string> = new Map(
  Object.values(NAMES)
    .flatMap((names) => [...names.female, ...names.male, ...names.last, ...names.last.map(feminine)])
    .map((name) => [name, toAsciiSlug(name)]),
);

export interface PersonName {
  firstName: string;
  lastName: string;
  /** The names as they appear in email addresses. */
  firstSlug: string;
  lastSlug: string;
}

/** A first and last name as people in that country write them. */
export function pickPersonName(random: Random, locale: NameLocale): PersonName {
  const names = NAMES[locale];
  const female = random.chance(0.5);
  const firstName = random.pick(female ? names.female : names.male);
  const picked = random.pick(names.last);
  const lastName = female && locale === 'pl' ? feminine(picked) : picked;
  return {
    firstName,
    lastName,
    firstSlug: SLUGS.get(firstName) ?? toAsciiSlug(firstName),
    lastSlug: SLUGS.get(lastName) ?? toAsciiSlug(lastName),
  };
}
