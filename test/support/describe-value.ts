/**
 * A canonical, exact description of a value as structured clone defines it: types, prototypes,
 * `-0`, `NaN`, holes in arrays, property order, Map/Set entry order, and which objects are the same
 * object (shared references and cycles appear as `@n`, the n-th object met). Two values with the
 * same description are structurally equal, and share references the same way.
 */
export function describeValue(root: unknown): string {
  const seen = new Map<object, number>();
  const out: string[] = [];
  const visit = (x: unknown): void => {
    if (x === null) return void out.push('null');
    switch (typeof x) {
      case 'undefined':
        return void out.push('undefined');
      case 'number':
        return void out.push(Object.is(x, -0) ? 'n:-0' : `n:${x}`);
      case 'bigint':
        return void out.push(`b:${x}`);
      case 'boolean':
        return void out.push(`t:${x}`);
      case 'string':
        return void out.push(`s:${JSON.stringify(x)}`);
      case 'object':
        break;
      default:
        return void out.push(`?${typeof x}`);
    }
    const o = x as object;
    const known = seen.get(o);
    if (known !== undefined) return void out.push(`@${known}`);
    seen.set(o, seen.size);
    const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
    out.push(`<${proto === null ? 'null' : (proto.constructor?.name ?? '?')}>`);
    if (o instanceof Date) return void out.push(`${o.getTime()}`);
    if (o instanceof RegExp) return void out.push(`/${o.source}/${o.flags}`);
    if (o instanceof ArrayBuffer) return void out.push(`[${Array.from(new Uint8Array(o)).join(',')}]`);
    if (ArrayBuffer.isView(o)) {
      const view = o as unknown as { length?: number; byteOffset: number; byteLength: number; buffer: ArrayBufferLike };
      out.push(`off=${view.byteOffset} len=${view.byteLength} `);
      return void visit(view.buffer);
    }
    if (o instanceof Map) {
      out.push('{');
      for (const [k, v] of o) {
        visit(k);
        out.push('=>');
        visit(v);
        out.push(',');
      }
      return void out.push('}');
    }
    if (o instanceof Set) {
      out.push('{');
      for (const v of o) {
        visit(v);
        out.push(',');
      }
      return void out.push('}');
    }
    if (o instanceof Error) {
      out.push(`${o.name}:${JSON.stringify(o.message)} cause=`);
      if ('cause' in o) visit(o.cause);
      return;
    }
    if (Array.isArray(o)) {
      out.push(`[len=${o.length} `);
      for (let i = 0; i < o.length; i++) {
        if (!(i in o)) out.push('hole,');
        else {
          visit(o[i]);
          out.push(',');
        }
      }
      return void out.push(']');
    }
    out.push('{');
    for (const k of Object.keys(o)) {
      out.push(`${JSON.stringify(k)}:`);
      visit((o as Record<string, unknown>)[k]);
      out.push(',');
    }
    out.push('}');
  };
  visit(root);
  return out.join('');
}
