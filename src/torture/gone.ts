/** Does an error say that an agent went away (directly, or as the cause of a remote or nested error)? */
export function isGone(e: unknown, wanted = 'ERR_SMPCALL_AGENT_GONE'): boolean {
  for (let k = 0; k < 8 && e !== null && typeof e === 'object'; k++) {
    const code = (e as { code?: unknown }).code;
    if (code === wanted) return true;
    if (code !== 'ERR_SMPCALL_REMOTE') return false;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Did the caller give up on it (timeout or abort)? */
export const gaveUp = (e: unknown): boolean => {
  const code = (e as { code?: unknown })?.code;
  return code === 'ERR_SMPCALL_TIMEOUT' || code === 'ERR_SMPCALL_ABORTED';
};

/**
 * Refused with a clear error because no slot could come free: every slot of an agent held by blocking
 * calls lower on its stack (ERR_SMPCALL_TOO_DEEP), or a wait for one that outlasted slotWaitMs
 * (ERR_SMPCALL_NO_SLOT: a cycle through a blocked event loop, which blocking hops can build)?
 */
export const isRefused = (e: unknown): boolean => isGone(e, 'ERR_SMPCALL_TOO_DEEP') || isGone(e, 'ERR_SMPCALL_NO_SLOT');
