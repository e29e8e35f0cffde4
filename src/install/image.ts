import { BadInputError } from '../errors.js';
import { productVersion } from '../version.js';

/** Where releases publish the image (Containerfile); schedules default to the image of their own version. */
export const releasedImageRepository = 'ghcr.io/kubectl-backup/kubectl-backup';

export function releasedImage(version: string = productVersion): string {
  return `${releasedImageRepository}:v${version}`;
}

// The grammar of container image references (distribution/reference), without IPv6 hosts.
const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainPart = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainPart}(?:\\.${domainPart})*(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const reference = new RegExp(`^(?:${domain}/)?${component}(?:/${component})*(?::${tag})?(?:@${digest})?$`);

/** `--image`: a reference the kubelet can pull, checked before anything is written. */
export function validateImage(image: string, flag = '--image'): string {
  if (!reference.test(image)) {
    throw new BadInputError(`invalid ${flag} "${image}": not a container image reference (e.g. ${releasedImage()})`);
  }
  return image;
}
