import { BadInputError } from '../src/errors.js';

/** The arguments the backup and restore suites take: counts, then the options below. */
export interface SuiteArgs {
  /** Positive integers, in the order given (sizes, rounds: each suite says). */
  numbers: number[];
  /** `--paced`: the test server answers about as slowly as a real API server. */
  paced: boolean;
  /** `--cluster`: the cluster of KUBECONFIG's current context instead of the test server. */
  cluster: boolean;
  /** `--rounds N`: each contender runs N times and its fastest run counts; undefined: the suite's default. */
  rounds?: number;
}

const options = ['--cluster', '--paced', '--rounds N'];
const wholeNumber = /^[1-9][0-9]*$/;

/** Parses `args` of `suite`, which takes at most `maxNumbers` numbers; bad input is a BadInputError. */
export function parseSuiteArgs(suite: string, args: readonly string[], maxNumbers = Number.POSITIVE_INFINITY): SuiteArgs {
  const parsed: SuiteArgs = { numbers: [], paced: false, cluster: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--cluster') parsed.cluster = true;
    else if (arg === '--paced') parsed.paced = true;
    else if (arg === '--rounds') {
      const value = args[++i];
      if (value === undefined || !wholeNumber.test(value)) throw new BadInputError(`${suite}: --rounds takes a positive whole number${value === undefined ? '' : `, not "${value}"`}`);
      parsed.rounds = Number(value);
    } else if (arg.startsWith('-')) throw new BadInputError(`${suite}: unknown option ${arg} (known: ${options.join(', ')})`);
    else if (wholeNumber.test(arg)) parsed.numbers.push(Number(arg));
    else throw new BadInputError(`${suite}: "${arg}" is not a positive whole number`);
  }
  if (parsed.numbers.length > maxNumbers) throw new BadInputError(`${suite}: at most ${maxNumbers} numbers, got ${parsed.numbers.length}`);
  if (parsed.paced && parsed.cluster) {
    throw new BadInputError(`${suite}: --paced slows the test server down to a real API server's pace; with --cluster the cluster answers at its own, so the two do not go together`);
  }
  return parsed;
}
