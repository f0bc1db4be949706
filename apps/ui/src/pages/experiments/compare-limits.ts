/** How many runs the comparison takes: two to see a difference, ten to keep columns and charts readable. */
export const minCompared = 2;
export const maxCompared = 10;
