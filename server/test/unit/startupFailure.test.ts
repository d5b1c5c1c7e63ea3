import { strict as assert } from "node:assert";
import { describeListenError } from "../../src/startup/bindPort";
import { failureLine, firstLine, redactPassword, StartupFailure } from "../../src/startup/failure";

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code });

describe("start-up failure lines", () => {
  it("say what is wrong with the port or HOST and what to set", () => {
    assert.match(describeListenError(errno("EADDRINUSE"), 2567, "0.0.0.0"), /port 2567 on 0\.0\.0\.0 is already in use.*set PORT/);
    assert.match(describeListenError(errno("EACCES"), 80, "0.0.0.0"), /no permission .* port 80.*set PORT/);
    assert.match(describeListenError(errno("ENOTFOUND"), 2567, "tavern.local"), /HOST "tavern\.local" is not a name.*set HOST/);
    assert.match(describeListenError(errno("EADDRNOTAVAIL"), 2567, "10.9.9.9"), /HOST "10\.9\.9\.9" is not an address.*set HOST/);
  });

  it("never carry a URL's password, raw or percent-encoded", () => {
    const url = new URL("postgres://u:p%40ss@db:5432/x");
    assert.equal(redactPassword("auth failed for p@ss and p%40ss", url), "auth failed for *** and ***");
    assert.equal(redactPassword("nothing to hide", new URL("redis://db:6379")), "nothing to hide");
  });

  it("are one line: an unforeseen error keeps its first line and points at the debug log", () => {
    assert.equal(failureLine(new StartupFailure("port busy")), "Tavern cannot start: port busy");
    const line = failureLine(new Error("boom\n    at somewhere (file.ts:1:1)"));
    assert.equal(line, "Tavern cannot start: boom (LOG_LEVEL=debug shows where it came from)");
  });

  it("join the reasons of an error that stands for several connection attempts", () => {
    const both = new AggregateError([new Error("connect ECONNREFUSED ::1:5432"), new Error("connect ECONNREFUSED 127.0.0.1:5432")]);
    assert.equal(firstLine(both), "connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432");
  });
});
