/**
 * Test builds only (vite --mode test): parameters a browser test passes in the page's address
 * (`?fps=10`, `?sceneDelayMs=1500`, `?caboSeed=...`). A normal build reads none of them.
 */
export const testParams = new URLSearchParams(import.meta.env.MODE === "test" ? location.search : "");
