/**
 * A counted hold on the process: the handle is ref'd while at least one promise passed to `hold` is
 * pending, unref'd otherwise. The spawn adapters hold the process open only while something is on its
 * way (workers starting, a terminate() awaiting an exit, a restart); the rest of the time the domain
 * decides when the process may exit.
 */
export function countedHold(handle: { ref(): void; unref(): void }): <T>(p: Promise<T>) => Promise<T> {
  let holds = 0;
  return <T>(p: Promise<T>): Promise<T> => {
    if (holds++ === 0) handle.ref();
    const release = (): void => {
      if (--holds === 0) handle.unref();
    };
    p.then(release, release);
    return p;
  };
}
