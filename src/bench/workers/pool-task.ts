/** The task piscina and tinypool run: add({ a, b }). */
export default ({ a, b }: { a: number; b: number }): number => a + b;
