// The drafting page: sends the draft to POST /v1/lint and shows what came back.
// Everything from a draft or a report is written with textContent or text nodes, never as
// HTML, so a draft holding <script> or <img onerror=...> is shown as the text it is.
"use strict";

(function () {
  const SEVERITY_WORDS = { error: "Error", warning: "Warning", info: "For information" };
  const SEVERITY_RANK = { info: 1, warning: 2, error: 3 };
  const state = { linted: null, imageNumber: 0, busy: false };

  function $(id) {
    return document.getElementById(id);
  }

  // Build an element. Strings become text nodes; attributes are set one by one.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // Python counts characters (code points); JavaScript strings count UTF-16 units. Offsets
  // from the server are converted before the text is cut, so emoji do not shift the marks.
  function unitOffsets(text) {
    const offsets = [0];
    let unit = 0;
    for (const character of text) {
      unit += character.length;
      offsets.push(unit);
    }
    return offsets;
  }

  function toUnits(offsets, point) {
    return offsets[Math.max(0, Math.min(point, offsets.length - 1))];
  }

  function say(message, isError) {
    const status = $("status");
    status.replaceChildren(el("p", { className: isError ? "problem" : null, text: message }));
  }

  function countCharacters() {
    const length = Array.from($("draft").value).length;
    $("draft-count").textContent = length === 1 ? "1 character" : length + " characters";
  }

  // --- images --------------------------------------------------------------------------

  function renumberImages() {
    const boxes = document.querySelectorAll("#image-list .image");
    boxes.forEach(function (box, index) {
      box.querySelector("legend").textContent = "Image " + (index + 1);
      box.querySelector("button").textContent = "Remove image " + (index + 1);
    });
  }

  function addImage() {
    state.imageNumber += 1;
    const n = state.imageNumber;
    const file = el("input", { type: "file", id: "image-file-" + n, accept: "image/*" });
    const alt = el("textarea", {
      id: "image-alt-" + n,
      rows: 3,
      "aria-describedby": "image-alt-hint-" + n,
    });
    const decorative = el("input", { type: "checkbox", id: "image-decorative-" + n });
    const remove = el("button", { type: "button", className: "secondary small" });
    const box = el(
      "fieldset",
      { className: "image", id: "image-" + n },
      el("legend", { text: "Image" }),
      el(
        "div",
        { className: "field" },
        el("label", { for: "image-file-" + n, text: "Image file" }),
        file
      ),
      el(
        "div",
        { className: "field" },
        el("label", { for: "image-alt-" + n, text: "Alt text" }),
        el("p", {
          className: "hint",
          id: "image-alt-hint-" + n,
          text: "Say what the image shows and repeat any words in it.",
        }),
        alt
      ),
      el(
        "div",
        { className: "choice" },
        decorative,
        el("label", {
          for: "image-decorative-" + n,
          text: "This image is decorative (it needs no alt text)",
        })
      ),
      remove
    );
    remove.addEventListener("click", function () {
      box.remove();
      renumberImages();
      $("add-image").focus();
      say("Image removed.");
    });
    $("image-list").append(box);
    renumberImages();
    file.focus();
  }

  // --- the request ---------------------------------------------------------------------

  function uniqueName(name, taken) {
    let candidate = name || "upload";
    let number = 2;
    while (taken.has(candidate)) {
      candidate = number + "-" + name;
      number += 1;
    }
    taken.add(candidate);
    return candidate;
  }

  function buildRequest(text) {
    const form = new FormData();
    const taken = new Set();
    const platforms = Array.from(document.querySelectorAll("#platforms input:checked")).map(
      function (box) {
        return box.value;
      }
    );
    const post = { text: text, platforms: platforms, account: { kind: $("account").value } };
    const images = [];
    document.querySelectorAll("#image-list .image").forEach(function (box) {
      const chosen = box.querySelector("input[type=file]").files[0];
      if (!chosen) return;
      const name = uniqueName(chosen.name, taken);
      const alt = box.querySelector("textarea").value;
      form.append("files", chosen, name);
      images.push({
        name: name,
        alt: alt.trim() === "" ? null : alt,
        decorative: box.querySelector("input[type=checkbox]").checked,
      });
    });
    if (images.length) post.images = images;
    const video = $("video-file").files[0];
    if (video) {
      const entry = { name: uniqueName(video.name, taken), captions: [] };
      form.append("files", video, entry.name);
      const captions = $("captions-file").files[0];
      if (captions) {
        const captionName = uniqueName(captions.name, taken);
        form.append("files", captions, captionName);
        entry.captions.push(captionName);
      }
      entry.burned_in_captions = $("burned-in").checked;
      post.videos = [entry];
    }
    form.append("posts", JSON.stringify(post));
    return { form: form, platforms: platforms };
  }

  async function check(options) {
    options = options || {};
    if (state.busy) return;
    const text = $("draft").value;
    if (text.trim() === "") {
      say("Type or paste a draft first.", true);
      $("draft").focus();
      return;
    }
    const request = buildRequest(text);
    if (request.platforms.length === 0) {
      say("Choose at least one platform.", true);
      $("platform-x").focus();
      return;
    }
    const headers = {};
    const token = $("token").value.trim();
    if (token) headers.Authorization = "Bearer " + token;
    state.busy = true;
    $("check").disabled = true;
    $("results").setAttribute("aria-busy", "true");
    say("Checking…");
    try {
      const response = await fetch("/v1/lint", {
        method: "POST",
        body: request.form,
        headers: headers,
        credentials: "same-origin",
        cache: "no-store",
      });
      let body = null;
      try {
        body = await response.json();
      } catch (error) {
        body = null;
      }
      if (response.status === 401) {
        $("token-field").hidden = false;
        say("This server needs an access token. Enter it above, then check again.", true);
        $("token").focus();
        return;
      }
      if (!response.ok || !body || !Array.isArray(body.posts)) {
        const detail = body && body.detail ? body.detail : "the server did not answer";
        say("The draft could not be checked: " + detail + ".", true);
        return;
      }
      state.linted = { text: text, report: body };
      render(text, body.posts[0], options.note);
      if (options.focusResults) $("results").focus();
    } catch (error) {
      say("The draft could not be checked: the server cannot be reached.", true);
    } finally {
      state.busy = false;
      $("check").disabled = false;
      $("results").removeAttribute("aria-busy");
    }
  }

  // --- showing the results -------------------------------------------------------------

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function render(text, post, note) {
    const counts = post.counts;
    const passed = post.verdict === "pass";
    const total = post.findings.length;
    const sentence =
      (note ? note + " " : "") +
      "Checked. Score " +
      post.score +
      " out of 100. " +
      (passed ? "Pass." : "Fail.") +
      " " +
      (total === 0
        ? "No findings."
        : plural(counts.error, "error") +
          ", " +
          plural(counts.warning, "warning") +
          ", " +
          counts.info +
          " for information.");
    say(sentence);
    $("summary").hidden = false;
    $("score").textContent = String(post.score);
    const verdict = $("verdict");
    verdict.textContent = passed ? "✓ Pass: ready to publish" : "✗ Fail: fix the errors first";
    verdict.className = passed ? "verdict-pass" : "verdict-fail";
    const safe = post.findings.some(function (finding) {
      return finding.fixes.some(function (fix) {
        return fix.safe;
      });
    });
    $("apply-safe").hidden = !safe;
    renderHighlight(text, post.findings);
    renderFindings(text, post.findings);
  }

  function worst(spans) {
    return spans.reduce(function (level, span) {
      return SEVERITY_RANK[span.severity] > SEVERITY_RANK[level] ? span.severity : level;
    }, "info");
  }

  function reference(numbers) {
    const sup = el("sup", { className: "refs" });
    numbers.forEach(function (number) {
      sup.append(
        el("a", {
          href: "#finding-" + number,
          className: "ref",
          "aria-label": "finding " + number,
          text: "[" + number + "]",
        })
      );
    });
    return sup;
  }

  function renderHighlight(text, findings) {
    const offsets = unitOffsets(text);
    const spans = [];
    findings.forEach(function (finding, index) {
      if (!finding.span) return;
      spans.push({
        start: toUnits(offsets, finding.span.start),
        end: toUnits(offsets, finding.span.end),
        number: index + 1,
        severity: finding.severity,
      });
    });
    const cuts = new Set([0, text.length]);
    spans.forEach(function (span) {
      cuts.add(span.start);
      cuts.add(span.end);
    });
    const points = Array.from(cuts).sort(function (a, b) {
      return a - b;
    });
    const out = $("highlighted");
    out.replaceChildren();
    const atPoint = function (point) {
      return spans
        .filter(function (span) {
          return span.start === point && span.end === point;
        })
        .map(function (span) {
          return span.number;
        });
    };
    for (let i = 0; i < points.length; i += 1) {
      const from = points[i];
      const empty = atPoint(from);
      if (empty.length) out.append(reference(empty));
      if (i === points.length - 1) break;
      const to = points[i + 1];
      const piece = text.slice(from, to);
      const covering = spans.filter(function (span) {
        return span.start <= from && span.end >= to && span.start < span.end;
      });
      if (!covering.length) {
        out.append(document.createTextNode(piece));
        continue;
      }
      out.append(el("mark", { className: "sev-" + worst(covering) }, piece));
      const ending = covering
        .filter(function (span) {
          return span.end === to;
        })
        .map(function (span) {
          return span.number;
        });
      if (ending.length) out.append(reference(ending));
    }
    $("highlight-block").hidden = false;
  }

  function fieldName(field) {
    const match = /^(images|videos)\[(\d+)\](.*)$/.exec(field || "");
    if (!match) return field;
    const kind = match[1] === "images" ? "Image " : "Video ";
    return kind + (Number(match[2]) + 1) + (match[3] ? " (" + match[3].replace(/^\./, "") + ")" : "");
  }

  function describeFix(fix) {
    const what = fix.description
      ? fix.description
      : fix.replacement === ""
        ? "remove the text"
        : "replace with “" + fix.replacement + "”";
    return "Apply fix: " + what + (fix.safe ? "" : " (check the meaning first)");
  }

  function renderFindings(text, findings) {
    const list = $("findings");
    list.replaceChildren();
    const offsets = unitOffsets(text);
    findings.forEach(function (finding, index) {
      const number = index + 1;
      const item = el("li", { id: "finding-" + number, className: "finding sev-" + finding.severity });
      item.append(
        el(
          "p",
          { className: "finding-head" },
          el("span", { className: "badge badge-" + finding.severity, text: SEVERITY_WORDS[finding.severity] || finding.severity }),
          " ",
          el("span", { className: "code", text: finding.code }),
          " ",
          el("span", { className: "rule", text: finding.name })
        ),
        el("p", { className: "message", text: finding.message })
      );
      if (finding.span) {
        const quoted = text.slice(toUnits(offsets, finding.span.start), toUnits(offsets, finding.span.end));
        if (quoted) {
          const short = Array.from(quoted).length > 60 ? Array.from(quoted).slice(0, 60).join("") + "…" : quoted;
          item.append(el("p", { className: "where" }, "In the text: ", el("q", { text: short })));
        }
      } else if (finding.location && finding.location.field) {
        item.append(el("p", { className: "where", text: "About: " + fieldName(finding.location.field) }));
      }
      if (finding.suggestion) {
        item.append(el("p", { className: "suggestion", text: "Suggestion: " + finding.suggestion }));
      }
      if (finding.policy) {
        item.append(el("p", { className: "policy", text: "Policy: " + finding.policy }));
      }
      finding.fixes.forEach(function (fix) {
        const button = el("button", { type: "button", className: "fix", text: describeFix(fix) });
        button.addEventListener("click", function () {
          applyFixes([fix], "Fix applied.");
        });
        item.append(button);
      });
      list.append(item);
    });
    $("findings-block").hidden = findings.length === 0;
  }

  // --- fixes ---------------------------------------------------------------------------

  function applyFixes(fixes, note) {
    const draft = $("draft");
    if (!state.linted || draft.value !== state.linted.text) {
      say("The draft has changed since it was checked. Check it again, then apply the fix.", true);
      return;
    }
    const offsets = unitOffsets(draft.value);
    let value = draft.value;
    let limit = Infinity;
    // From the end backwards, so earlier offsets stay right; overlapping fixes are skipped.
    fixes
      .slice()
      .sort(function (a, b) {
        return b.start - a.start;
      })
      .forEach(function (fix) {
        if (fix.end > limit) return;
        const start = toUnits(offsets, fix.start);
        const end = toUnits(offsets, fix.end);
        value = value.slice(0, start) + fix.replacement + value.slice(end);
        limit = fix.start;
      });
    draft.value = value;
    countCharacters();
    check({ focusResults: true, note: note });
  }

  function applySafeFixes() {
    if (!state.linted) return;
    const fixes = [];
    state.linted.report.posts[0].findings.forEach(function (finding) {
      const safe = finding.fixes.find(function (fix) {
        return fix.safe;
      });
      if (safe) fixes.push(safe);
    });
    applyFixes(fixes, fixes.length === 1 ? "1 safe fix applied." : fixes.length + " safe fixes applied.");
  }

  // --- start ---------------------------------------------------------------------------

  async function discoverAuth() {
    try {
      const response = await fetch("/healthz", { cache: "no-store" });
      const health = await response.json();
      if (health.auth) $("token-field").hidden = false;
    } catch (error) {
      // The check itself will say if the server cannot be reached.
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("draft-form").addEventListener("submit", function (event) {
      event.preventDefault();
      check({});
    });
    $("draft").addEventListener("input", countCharacters);
    $("add-image").addEventListener("click", addImage);
    $("apply-safe").addEventListener("click", applySafeFixes);
    countCharacters();
    discoverAuth();
  });
})();
