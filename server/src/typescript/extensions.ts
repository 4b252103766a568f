/** File extensions of the TS/JS front end (a module of its own: the eager half needs them without the compiler). */
export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;
