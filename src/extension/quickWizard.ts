/**
 * Multi-step QuickPick wizards with a step counter ("3/9" in the title bar) and a Back button, in
 * the shape of VS Code's own multi-step input sample: each step is a function over the answers so
 * far that says whether it applies; Back returns to the previous step that applied, with its
 * earlier answer selected; Esc ends the wizard (undefined). Steps can be skipped by the answers
 * before them, so the total is recounted after every answer.
 */
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type Answer<T> = T | typeof BACK | undefined;

export type WizardItem<T> = vscode.QuickPickItem & { value: T };

export interface StepPosition {
  title: string;
  step: number;
  totalSteps: number;
}

/** The first answer settles the page (hiding it after an accept must not answer again), then it is disposed. */
function settleOnce<A>(resolve: (answer: Answer<A>) => void, input: vscode.QuickInput): (answer: Answer<A>) => void {
  let done = false;
  return (answer) => {
    if (done) return;
    done = true;
    resolve(answer);
    input.dispose();
  };
}

/** One QuickPick page. `active` is the value to start on (the previous answer, or a proposal). */
export function pickStep<T>(at: StepPosition, items: WizardItem<T>[], opts: { placeHolder?: string; active?: T } = {}): Promise<Answer<T>> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<WizardItem<T>>();
    Object.assign(qp, at, { items, placeholder: opts.placeHolder, ignoreFocusOut: true, buttons: at.step > 1 ? [vscode.QuickInputButtons.Back] : [] });
    const active = items.find((i) => opts.active !== undefined && i.value === opts.active);
    if (active) qp.activeItems = [active];
    const finish = settleOnce<T>(resolve, qp);
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    qp.onDidAccept(() => qp.selectedItems[0] && finish(qp.selectedItems[0].value));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** A multi-select page: the picked values (possibly none) on Enter. */
export function pickManyStep<T>(at: StepPosition, items: WizardItem<T>[], opts: { placeHolder?: string } = {}): Promise<Answer<T[]>> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<WizardItem<T>>();
    Object.assign(qp, at, { items, canSelectMany: true, placeholder: opts.placeHolder, ignoreFocusOut: true, buttons: at.step > 1 ? [vscode.QuickInputButtons.Back] : [] });
    qp.selectedItems = items.filter((i) => i.picked);
    const finish = settleOnce<T[]>(resolve, qp);
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    qp.onDidAccept(() => finish(qp.selectedItems.map((i) => i.value)));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** A text page with inline validation (a message blocks Enter). */
export function inputStep(at: StepPosition, opts: { prompt: string; value: string; validate: (v: string) => string | undefined }): Promise<Answer<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, at, { prompt: opts.prompt, value: opts.value, ignoreFocusOut: true, buttons: at.step > 1 ? [vscode.QuickInputButtons.Back] : [] });
    box.validationMessage = opts.validate(opts.value);
    const finish = settleOnce<string>(resolve, box);
    box.onDidChangeValue((v) => (box.validationMessage = opts.validate(v)));
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    box.onDidAccept(() => !opts.validate(box.value) && finish(box.value));
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

export interface WizardStep<S> {
  /** Whether the step is asked, given the answers so far. */
  applies(state: S): boolean;
  /** Asks; on an answer, stores it in `state` and returns 'next'. */
  ask(state: S, at: (name: string) => StepPosition): Promise<'next' | typeof BACK | undefined>;
}

/**
 * Runs the steps in order with Back; resolves to the final state, or undefined when the user left.
 * `title(name)` makes each page's title; the counter counts the steps that apply now.
 */
export async function runWizard<S>(steps: readonly WizardStep<S>[], state: S, title: (name: string) => string): Promise<S | undefined> {
  const history: number[] = [];
  let i = 0;
  while (i < steps.length) {
    if (!steps[i].applies(state)) {
      i++;
      continue;
    }
    const applying = steps.map((_, k) => k).filter((k) => steps[k].applies(state));
    const at = (name: string): StepPosition => ({ title: title(name), step: applying.indexOf(i) + 1, totalSteps: applying.length });
    const result = await steps[i].ask(state, at);
    if (result === undefined) return undefined;
    if (result === BACK) {
      const previous = history.pop();
      if (previous === undefined) return undefined;
      i = previous;
      continue;
    }
    history.push(i);
    i++;
  }
  return state;
}
