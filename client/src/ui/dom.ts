/** Tiny DOM helpers: look up required elements by id, fail loudly when the page is wrong. */
export function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el;
}

export function input(id: string): HTMLInputElement {
  return $(id) as HTMLInputElement;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text = "", className = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

export interface Choice {
  value: string;
  label: string;
}

/** Replaces a select's options, keeping the user's choice when it is still offered. */
export function fillSelect(select: HTMLSelectElement, choices: Choice[]): void {
  const chosen = select.value;
  select.replaceChildren(...choices.map((c) => Object.assign(el("option", c.label), { value: c.value })));
  if (choices.some((c) => c.value === chosen)) select.value = chosen;
}
