// Types for scripts/import-rules.mjs (plain JavaScript so that `node` runs it without tsx).

export interface ImportRule {
  /** Path prefixes of the files the rule applies to. */
  readonly from: readonly string[];
  /** Our files under these prefixes may not be imported. */
  readonly forbid?: readonly string[];
  /** Only our files under these prefixes may be imported. */
  readonly onlyWithin?: readonly string[];
  /** Only these npm packages may be imported (a trailing ':' or '/' matches a prefix). */
  readonly onlyPackages?: readonly string[];
  /** This npm package may be imported only from files under `allowIn`. */
  readonly package?: string;
  readonly allowIn?: readonly string[];
  /** Printed with each violation. */
  readonly why: string;
}

export interface FoundImport {
  spec: string;
  /** 1-based. */
  line: number;
  kind: 'import' | 'export' | 'dynamic' | 'require';
}

export interface Violation {
  file: string;
  line: number;
  spec: string;
  /** The repo path (relative specifiers) or package name it resolved to. */
  target: string;
  rule: string;
}

export const CHECKED: readonly string[];
export const RULES: readonly ImportRule[];
export const SOURCE_EXTENSIONS: readonly string[];
export function findImports(source: string): FoundImport[];
export function resolveRelative(fromFile: string, spec: string, exists?: (path: string) => boolean): string;
export function packageName(spec: string): string;
export function violations(fileMap: Readonly<Record<string, string>>): Violation[];
export function formatViolation(v: Violation): string;
