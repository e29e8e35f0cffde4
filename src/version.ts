import pjson from '../package.json' with { type: 'json' };

/** The released version: package.json's, inlined by the bundler. */
export const productVersion: string = pjson.version;
