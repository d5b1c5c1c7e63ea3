/** How many bytes a WebSocket message carried, whatever the socket library handed over. */
export function payloadBytes(data: unknown): number {
  if (typeof data === "string") return Buffer.byteLength(data, "utf8");
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  // ws's "fragments" binary type delivers a list of chunks.
  if (Array.isArray(data)) return data.reduce((sum: number, part: unknown) => sum + payloadBytes(part), 0);
  if (data instanceof Blob) return data.size;
  return 0;
}
