/** A live status line on stderr: rewritten in place on a terminal, one line per second otherwise. */

export interface ProgressLine {
  stop(): void;
}

export function startProgress(status: () => string, stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const startedAt = Date.now();
  const line = () => `${status()}  elapsed ${((Date.now() - startedAt) / 1000).toFixed(1)}s`;
  const tty = stream.isTTY === true;
  const draw = () => (tty ? stream.write(`\r\x1b[2K${line()}`) : stream.write(`${line()}\n`));
  const timer = setInterval(draw, tty ? 100 : 1000);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      draw();
      if (tty) stream.write("\n");
    },
  };
}
