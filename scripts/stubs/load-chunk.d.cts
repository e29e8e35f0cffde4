/** The types of load-chunk.cjs, for the build and the tests. */
export declare function loadChunk(name: string): Record<string, unknown>;
export declare function compileChunk(
  name: string,
  source: string,
  cache: Buffer | undefined,
  requireFrom: (id: string) => unknown,
): { exports: unknown; cacheRejected: boolean | undefined };
export declare function wrapChunk(source: string): string;
export declare function chunkFilename(name: string): string;
