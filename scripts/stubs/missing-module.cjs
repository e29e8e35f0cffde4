// Optional native helpers (bufferutil, utf-8-validate, encoding) are left out of the executable.
// Their users probe for them with require() and fall back when it throws MODULE_NOT_FOUND.
const err = new Error('optional module left out of the kubectl-backup executable');
err.code = 'MODULE_NOT_FOUND';
throw err;
