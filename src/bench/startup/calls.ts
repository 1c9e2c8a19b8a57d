/** The start-up probe's calls module: one function, the table as users write it (a plain object works too). */
export default { add: (a: number, b: number): number => a + b };
