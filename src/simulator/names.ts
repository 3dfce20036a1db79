import { type Prng } from './prng.js';

/** Word lists for plausible, readable names; the combinations give enough variety for 100k tracks. */
const adjectives = [
  'Silver',
  'Broken',
  'Electric',
  'Quiet',
  'Golden',
  'Midnight',
  'Hollow',
  'Neon',
  'Velvet',
  'Paper',
  'Wild',
  'Frozen',
  'Crimson',
  'Distant',
  'Lucky',
  'Restless',
  'Tender',
  'Burning',
  'Lonely',
  'Secret',
  'Northern',
  'Static',
  'Gentle',
  'Violet',
  'Empty',
  'Heavy',
  'Little',
  'Sleepless',
  'Falling',
  'Bright',
];
const nouns = [
  'Harbor',
  'Echo',
  'Garden',
  'River',
  'Machine',
  'Summer',
  'Ghost',
  'Signal',
  'Mirror',
  'Highway',
  'Ocean',
  'Fever',
  'Satellite',
  'Window',
  'Thunder',
  'Parade',
  'Lantern',
  'Desert',
  'Heart',
  'Orbit',
  'Canyon',
  'Rain',
  'Circus',
  'Mountain',
  'Letter',
  'Shadow',
  'Balloon',
  'Engine',
  'Island',
  'Season',
];
const verbs = ['Running', 'Dancing', 'Waiting', 'Dreaming', 'Calling', 'Falling', 'Drifting', 'Holding', 'Leaving', 'Shining'];
const firstNames = [
  'Ada',
  'Bruno',
  'Clara',
  'Dmitri',
  'Elif',
  'Femi',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kaia',
  'Luca',
  'Mina',
  'Nico',
  'Oona',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sami',
  'Tove',
  'Umar',
  'Vera',
  'Wen',
  'Yara',
  'Zoe',
];
const lastNames = [
  'Almeida',
  'Berg',
  'Castillo',
  'Dahl',
  'Eze',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quist',
  'Rossi',
  'Silva',
  'Tanaka',
  'Usman',
  'Varga',
];
const bandSuffixes = ['Collective', 'Orchestra', 'Club', 'Brothers', 'Society', 'Project', 'Trio', 'Union'];
export const genres = [
  'indie pop',
  'synthwave',
  'dream pop',
  'post-punk',
  'jazz',
  'neo soul',
  'techno',
  'folk',
  'shoegaze',
  'hip hop',
  'ambient',
  'alt country',
  'k-pop',
  'afrobeats',
  'bossa nova',
  'drum and bass',
  'grunge',
];
export const labels = ['Harbor Records', 'Neon Sound', 'Paper Moon Music', 'Static Age', 'Velvet Tape', 'Northern Lights Audio'];

export function artistName(rng: Prng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `${rng.pick(firstNames)} ${rng.pick(lastNames)}`;
    case 1:
      return `The ${rng.pick(adjectives)} ${rng.pick(nouns)}s`;
    case 2:
      return `${rng.pick(nouns)} ${rng.pick(bandSuffixes)}`;
    default:
      return `${rng.pick(adjectives)} ${rng.pick(nouns)}`;
  }
}

export function albumName(rng: Prng): string {
  switch (rng.int(0, 2)) {
    case 0:
      return `${rng.pick(adjectives)} ${rng.pick(nouns)}`;
    case 1:
      return `${rng.pick(nouns)}s of ${rng.pick(nouns)}`;
    default:
      return rng.pick(nouns);
  }
}

export function trackName(rng: Prng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `${rng.pick(adjectives)} ${rng.pick(nouns)}`;
    case 1:
      return `${rng.pick(verbs)} ${rng.chance(0.5) ? 'in the' : 'to the'} ${rng.pick(nouns)}`;
    case 2:
      return `${rng.pick(nouns)} (${rng.pick(['Remastered', 'Live', 'Acoustic', 'Radio Edit', 'Demo'])})`;
    default:
      return `${rng.pick(nouns)} ${rng.pick(nouns)}`;
  }
}

export function playlistName(rng: Prng): string {
  return rng.pick([
    `${rng.pick(adjectives)} ${rng.pick(nouns)} Mix`,
    `${rng.pick(verbs)} Songs`,
    `${rng.pick(['Morning', 'Late Night', 'Sunday', 'Workout', 'Road Trip', 'Focus'])} ${rng.pick(nouns)}`,
    `${rng.pick(genres)} favourites`,
  ]);
}

export function personName(rng: Prng): string {
  return `${rng.pick(firstNames)} ${rng.pick(lastNames)}`;
}

export function showName(rng: Prng): string {
  return `The ${rng.pick(adjectives)} ${rng.pick(nouns)} Podcast`;
}
