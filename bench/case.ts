/** One benchmark case: a named operation measured over a number of iterations. */
export interface Case {
  name: string;
  /** One measured iteration (i < 0 is the warm-up); returns milliseconds. */
  iterate(i: number): Promise<number>;
  /** Measured iterations for this case, when not the run's default (heavy cases run fewer). */
  iterations?: number;
}
