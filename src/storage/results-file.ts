/** Warnings or errors as a results artifact groups them (storage.md): `{cluster: [...], namespaces: {ns: [...]}}`. */
export interface ResultGroup {
  readonly cluster: readonly string[];
  readonly namespaces: Readonly<Record<string, readonly string[]>>;
  /** Messages left out when the group was read, past what is shown (results-parser.ts). */
  readonly omitted?: number;
}

/** A backup's or a restore's results artifact: `{"warnings": R, "errors": R}`. */
export interface ResultsFile {
  readonly warnings: ResultGroup;
  readonly errors: ResultGroup;
}
