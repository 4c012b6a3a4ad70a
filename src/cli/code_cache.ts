/**
 * Imported dynamically by the boot-time entry just before it exits (boot_main.ts), for what the import does, not for
 * what it holds. The runtime stores the compiled code of the modules it compiled (V8's code cache, which spares the
 * next start compiling the bundle: 14 ms here) in a pass of its event loop, and boot and render may do all their
 * work without one: an exit then lost that code, in every run, or in about half when an asynchronous call had been
 * made. A dynamic import resolves in such a pass, after the compiled code is stored; letting the loop run out would
 * do the same, slower (boot --dry-run 1.03× of this, 60 pairs of whole runs).
 *
 * @module
 */

/** That this module was loaded, and with it the compiled code stored. */
export const CODE_CACHE_STORED = true;
