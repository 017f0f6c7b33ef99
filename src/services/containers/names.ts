import { randomInt } from 'node:crypto';

// Docker's generator picks "adjective_surname"; these are short lists in the same spirit.
const LEFT = ['admiring', 'adoring', 'affectionate', 'agitated', 'amazing', 'angry', 'awesome', 'blissful',
  'bold', 'boring', 'brave', 'busy', 'charming', 'clever', 'compassionate', 'competent', 'confident', 'cool',
  'dazzling', 'determined', 'distracted', 'dreamy', 'eager', 'ecstatic', 'elastic', 'elated', 'elegant',
  'epic', 'exciting', 'fervent', 'festive', 'flamboyant', 'focused', 'friendly', 'frosty', 'funny', 'gallant',
  'gifted', 'goofy', 'gracious', 'great', 'happy', 'hardcore', 'heuristic', 'hopeful', 'hungry', 'infallible',
  'inspiring', 'intelligent', 'interesting', 'jolly', 'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid',
  'magical', 'modest', 'musing', 'mystifying', 'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective',
  'optimistic', 'peaceful', 'pedantic', 'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'relaxed',
  'reverent', 'romantic', 'sad', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied',
  'suspicious', 'sweet', 'tender', 'thirsty', 'trusting', 'unruffled', 'upbeat', 'vibrant', 'vigilant',
  'vigorous', 'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous', 'zen'];
const RIGHT = ['albattani', 'allen', 'almeida', 'archimedes', 'ardinghelli', 'babbage', 'banach', 'bardeen',
  'bartik', 'bassi', 'bell', 'benz', 'bhabha', 'bohr', 'booth', 'borg', 'bose', 'brahmagupta', 'brown',
  'carson', 'cerf', 'chandrasekhar', 'clarke', 'curie', 'darwin', 'davinci', 'dijkstra', 'einstein', 'elion',
  'engelbart', 'euclid', 'euler', 'faraday', 'fermat', 'fermi', 'feynman', 'franklin', 'galileo', 'gauss',
  'goldberg', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hermann', 'hodgkin', 'hoover', 'hopper',
  'hypatia', 'jackson', 'jang', 'jennings', 'johnson', 'kalam', 'kepler', 'khorana', 'knuth', 'kowalevski',
  'lalande', 'lamarr', 'leakey', 'leavitt', 'lovelace', 'lumiere', 'mahavira', 'mayer', 'mccarthy',
  'mcclintock', 'meitner', 'mendel', 'mirzakhani', 'montalcini', 'moore', 'morse', 'napier', 'newton',
  'nobel', 'noether', 'pascal', 'pasteur', 'payne', 'perlman', 'pike', 'poincare', 'ptolemy', 'raman',
  'ritchie', 'rosalind', 'sammet', 'shannon', 'shockley', 'sinoussi', 'stonebraker', 'swanson', 'tesla',
  'thompson', 'torvalds', 'turing', 'varahamihira', 'visvesvaraya', 'wescoff', 'wilbur', 'wiles', 'williams',
  'wilson', 'wing', 'wozniak', 'wright', 'yalow', 'yonath'];

/** A Docker-style random name (`eager_turing`) that `taken` does not report as in use. */
export function generateName(taken: (name: string) => boolean): string {
  for (let i = 0; ; i++) {
    const name = `${LEFT[randomInt(LEFT.length)]}_${RIGHT[randomInt(RIGHT.length)]}${i > 10 ? randomInt(10) : ''}`;
    if (!taken(name)) return name;
  }
}
