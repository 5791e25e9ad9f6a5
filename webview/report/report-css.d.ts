/** The report's whole stylesheet as text (report.css bundled with its imports and fonts by scripts/build.mjs). */
declare module 'report-css' {
  const css: string;
  export default css;
}
