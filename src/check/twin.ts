/**
 * The generator twin: the protocol's own source (src/protocol/*.ts), compiled so that every
 * shared-memory operation is a point where the checker's scheduler decides who runs next.
 *
 * Why a twin rather than real workers whose `Mem` hands control to a scheduler at each operation:
 * both run the real source, but the twin runs every agent as a coroutine in one thread, so a schedule
 * is replayed in microseconds (100,000 PCT schedules in minutes on 2 cores), exploration is exactly
 * reproducible, and no OS scheduling leaks in. The price is a compile step; it cannot drift because
 * it runs on the current sources every time the checker starts (and the mutants are patches to the
 * same text).
 *
 * The transform (TypeScript compiler API):
 * - every function *declared* in a protocol file becomes a generator (`function*`);
 * - every call `mem.op(...)`, `host.op(...)`, `x.mem.op(...)`, `x.host.op(...)` becomes
 *   `(yield* __at("file.ts:line", call))`, so every step of a trace names its source line, and every
 *   call to a protocol function becomes `(yield* call)`;
 * - relative imports of non-protocol modules are pointed at the compiled library (dist/).
 * Anything it cannot make a scheduling point (a protocol call inside a nested arrow function, a
 * protocol function passed as a value) is an error: the twin must not silently skip an operation.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as TS from 'typescript';

/** The protocol (or a patched copy of it) does not compile: an error of the tool or the patch, not a finding. */
export class TwinBuildError extends Error {}

/** A textual change to one protocol file (a mutant, or a variant's tweak). */
export interface Patch {
  file: string;
  find: string;
  replace: string;
}

/** Where the protocol sources live: next to dist/ in the package (src/ is published). */
export const protocolDir = fileURLToPath(new URL('../../src/protocol/', import.meta.url));
const distDir = fileURLToPath(new URL('../', import.meta.url));

/** The TypeScript compiler API is missing or unusable here (`smpcall check` says so in one line). */
export class CompilerUnavailable extends Error {}

async function loadTs(): Promise<typeof TS> {
  let ts: typeof TS;
  try {
    ts = (await import('typescript')).default as typeof TS;
  } catch {
    throw new CompilerUnavailable('it compiles the protocol with the TypeScript compiler: npm install --save-dev typescript@5');
  }
  // TypeScript 7 (the native compiler) has no JavaScript API: say so, not "cannot read ES2022 of undefined".
  if (typeof ts?.transpileModule !== 'function' || ts.ScriptTarget === undefined) {
    throw new CompilerUnavailable(`it needs the TypeScript 5 compiler API, which typescript ${String((ts as { version?: unknown })?.version ?? '(unknown version)')} does not have: npm install --save-dev typescript@5`);
  }
  return ts;
}

/** Read protocol sources (plus extra files, e.g. a variant) and apply patches. */
export function readSources(patches: Patch[] = [], extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(protocolDir)) if (f.endsWith('.ts')) files[f] = readFileSync(join(protocolDir, f), 'utf8');
  Object.assign(files, extra);
  for (const p of patches) {
    const text = files[p.file];
    if (text === undefined) throw new Error(`patch names unknown protocol file ${p.file}`);
    if (!text.includes(p.find)) throw new Error(`patch for ${p.file} no longer applies (the protocol changed): ${JSON.stringify(p.find.slice(0, 80))}`);
    files[p.file] = text.replace(p.find, p.replace);
  }
  return files;
}

/** Compile sources to a twin directory; returns the file URL of that directory. Cached by content. */
export async function buildTwin(sources: Record<string, string>): Promise<string> {
  const ts = await loadTs();
  const hash = createHash('sha256')
    .update(JSON.stringify(Object.entries(sources).sort()))
    .update(distDir)
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), `smpcall-twin-${hash}`);
  const marker = join(dir, '.complete');
  try {
    readFileSync(marker);
    return pathToFileURL(dir + '/').href;
  } catch {
    // not built yet
  }
  mkdirSync(dir, { recursive: true });

  // Names of every function declared in a protocol file: calls to them become yield*.
  const protocolFns = new Set<string>();
  for (const [name, text] of Object.entries(sources)) {
    const sf = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
    sf.forEachChild((n) => {
      if (ts.isFunctionDeclaration(n) && n.name) protocolFns.add(n.name.text);
    });
  }

  const machine = pathToFileURL(join(distDir, 'check', 'machine.js')).href;
  for (const [name, text] of Object.entries(sources)) {
    const out = ts.transpileModule(text, {
      fileName: name,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      transformers: { before: [twinTransformer(ts, protocolFns, name)] },
    });
    // A patched copy that does not even parse is the patch's fault, never a finding of the checker.
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      const d = errors[0]!;
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      throw new TwinBuildError(`${name}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
    writeFileSync(join(dir, name.replace(/\.ts$/, '.js')), `import { at as __at } from ${JSON.stringify(machine)};\n${out.outputText}`);
  }
  writeFileSync(marker, '');
  return pathToFileURL(dir + '/').href;
}

function twinTransformer(ts: typeof TS, protocolFns: Set<string>, fileName: string): TS.TransformerFactory<TS.SourceFile> {
  return (context) => {
    const f = context.factory;
    const isScheduled = (call: TS.CallExpression): boolean => {
      const callee = call.expression;
      if (ts.isIdentifier(callee)) return protocolFns.has(callee.text);
      if (!ts.isPropertyAccessExpression(callee)) return false;
      const target = callee.expression;
      if (ts.isIdentifier(target)) return target.text === 'mem' || target.text === 'host';
      return ts.isPropertyAccessExpression(target) && (target.name.text === 'mem' || target.name.text === 'host');
    };
    const where = (n: TS.Node): string => {
      try {
        const sf = n.getSourceFile();
        return `${fileName}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      } catch {
        return fileName;
      }
    };

    /** Visit inside a generator body: calls become yield*, nested functions must not schedule. */
    const visitBody = (node: TS.Node): TS.Node => {
      if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
        checkNoScheduledCalls(node);
        return node;
      }
      const parent = node.parent as TS.Node | undefined;
      const isName = parent !== undefined && (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node;
      if (ts.isIdentifier(node) && protocolFns.has(node.text) && parent && !isName && !(ts.isCallExpression(parent) && parent.expression === node)) {
        throw new Error(`twin: protocol function ${node.text} used as a value at ${where(node)}: it could not be a scheduling point`);
      }
      const visited = ts.visitEachChild(node, visitBody, context);
      if (ts.isCallExpression(node) && isScheduled(node)) {
        // mem.* and host.* calls carry their source line; protocol calls label nothing themselves.
        const labelled = ts.isIdentifier(node.expression)
          ? (visited as TS.Expression)
          : f.createCallExpression(f.createIdentifier('__at'), undefined, [f.createStringLiteral(where(node)), visited as TS.Expression]);
        return f.createParenthesizedExpression(f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken), labelled));
      }
      return visited;
    };

    const checkNoScheduledCalls = (fn: TS.Node): void => {
      const walk = (n: TS.Node): void => {
        if (ts.isCallExpression(n) && isScheduled(n)) {
          throw new Error(`twin: a shared-memory or protocol call inside a nested function at ${where(n)} cannot be a scheduling point`);
        }
        n.forEachChild(walk);
      };
      fn.forEachChild(walk);
    };

    const rewriteSpecifier = (spec: string): string => {
      if (!spec.startsWith('../')) return spec; // './x.js': another twin module
      if (spec.startsWith('../protocol/')) return `./${spec.slice('../protocol/'.length)}`; // from a variant
      return pathToFileURL(join(distDir, spec.slice(3))).href;
    };

    const visitTop = (node: TS.Node): TS.Node => {
      if (ts.isFunctionDeclaration(node) && node.body) {
        const body = ts.visitEachChild(node.body, visitBody, context);
        return f.updateFunctionDeclaration(
          node,
          node.modifiers,
          f.createToken(ts.SyntaxKind.AsteriskToken),
          node.name,
          node.typeParameters,
          node.parameters,
          undefined,
          body,
        );
      }
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const spec = f.createStringLiteral(rewriteSpecifier(node.moduleSpecifier.text));
        if (ts.isImportDeclaration(node)) return f.updateImportDeclaration(node, node.modifiers, node.importClause, spec, node.attributes);
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, spec, node.attributes);
      }
      if (ts.isVariableStatement(node)) checkNoScheduledCalls(node);
      return node;
    };
    return (sf) => ts.visitEachChild(sf, visitTop, context);
  };
}
