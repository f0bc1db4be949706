/** A run or task state as a coloured label (colour is never the only cue: the word is there). */
export function StateBadge({ state }: { state: string }) {
  return <span className={`state-badge state-${state.toLowerCase()}`}>{state.toLowerCase()}</span>;
}
