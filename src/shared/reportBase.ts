/**
 * Every report records the model it is about, so reports of same-named models do not mix; the
 * reports folder names and finds saved reports by these fields (src/core/report/reportFiles.ts).
 */
export interface ReportBase {
  schema: string;
  createdAt: string;
  model: { path: string };
}
