// Entry of a soak worker thread. Node runs a worker's file with its own loader, which strips
// types but does not resolve the project's extensionless imports or @tavern/* names: register
// tsx's loader in this thread first, then load the TypeScript entry it was given.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
