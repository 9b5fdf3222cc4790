/**
 * Assigns each row to one of `folds` folds so that every fold holds its share of positives
 * and of negatives (stratified), shuffled by the `random` given, so a seed repeats a split.
 */
export function assignFolds(actual: ArrayLike<number>, folds: number, random: () => number): Int32Array {
  const assignment = new Int32Array(actual.length);
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let index = 0; index < actual.length; index += 1) if (actual[index] === label) members.push(index);
    // Fisher–Yates, then deal round-robin.
    for (let index = members.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [members[index], members[other]] = [members[other]!, members[index]!];
    }
    members.forEach((row, position) => {
      assignment[row] = position % folds;
    });
  }
  return assignment;
}

/** Row indexes in and out of one fold. */
export function splitByFold(assignment: Int32Array, fold: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  assignment.forEach((value, row) => {
    (value === fold ? test : train).push(row);
  });
  return { train, test };
}

/**
 * The latest `share` of rows by time as the test set, the rest to train on: how a model
 * meets next quarter's leads. Rows without a time are left out of both.
 */
export function splitByTime(times: ArrayLike<number | null>, share: number): { train: number[]; test: number[] } {
  const timed: number[] = [];
  for (let index = 0; index < times.length; index += 1) if (times[index] !== null) timed.push(index);
  timed.sort((a, b) => times[a]! - times[b]! || a - b);
  const cut = Math.floor(timed.length * (1 - share));
  return { train: timed.slice(0, cut), test: timed.slice(cut) };
}
