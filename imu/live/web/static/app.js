// The coaching screen: renders the state the server pushes (server-sent events), moves the
// phase bar between messages, and plays the optional cues (metronome, spoken "slower").
// The state's layout: imu/live/web/state.py (CoachingState.snapshot). Times are data seconds;
// `speed` data seconds pass per wall second (1 live, --speed in simulations).
"use strict";

(() => {
  const token = new URLSearchParams(location.search).get("token") || "";
  const $ = (id) => document.getElementById(id);
  // A cue's phase in plain words (its rep number is the session's, not the set's: left out).
  const PACE_WORDS = { eccentric: "lowering", concentric: "lifting" };
  // A cue stays up at least this long, even if the phase ended: seconds of the set's own time
  // (data seconds; shorter on the wall clock at --speed, so a cue never hangs over the next reps),
  // and never into the next rep's lowering.
  const CUE_MIN_SHOW_S = 3;
  // Still at the bottom this long (and twice any prescribed pause), the person is most likely
  // resting: the page says so, before the analyzer ends the set after its set rest (15 s).
  const BOTTOM_TO_REST_S = 5;

  let state = null;
  let receivedAt = 0; // performance.now() when `state` arrived
  let firstState = true;
  let cueShownAt = 0;
  let lastCueId = 0;
  let lastCueRep = null;
  let lastTick = "";
  let audio = null;
  let offline = false; // the event stream dropped: what the page shows is stale
  const prefs = { sound: false, metronome: false };

  // ------------------------------------------------------------------ helpers
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(x, digits = 1) {
    return x === null || x === undefined ? "-" : Number(x).toFixed(digits);
  }
  function num(x) {
    return x === null || x === undefined ? "-" : String(Number(x));
  }

  // ------------------------------------------------------------------ rendering
  function render() {
    const s = state;
    document.body.dataset.seq = String(s.seq); // a state has arrived (tests wait for it)
    document.title = `${s.count} · ${s.phase.name} · imu live`;
    $("exercise").textContent = s.exercise;
    $("tempo").textContent = `tempo ${s.tempo}`;
    $("rep-count").textContent = String(s.count);
    $("count-label").textContent = s.count_label || "reps";
    $("set-no").textContent = String(s.set_no);
    $("total").textContent = s.total !== s.count ? `· ${s.total} in all` : "";
    renderLink(s);
    const phase = $("phase");
    phase.textContent = s.phase.name;
    phase.dataset.key = s.phase.key;
    $("phase-hint").textContent = s.phase.hint || "";
    renderSummary(s.resting);
    renderLast(s.last_rep);
    renderReps(s.reps);
    const notice = $("notice");
    notice.textContent = s.notice || "";
    notice.hidden = !s.notice;
    renderCue(s);
    tick();
  }

  function renderLink(s) {
    const link = $("link");
    link.dataset.state = s.link.state;
    link.textContent = s.link.text;
    link.title = s.link.device || "";
    const gaps = $("gaps");
    gaps.hidden = !s.link.gaps;
    gaps.textContent = `${s.link.gaps} gap${s.link.gaps === 1 ? "" : "s"}`;
    gaps.title = `${s.link.lost_samples} samples lost`;
  }

  function renderSummary(sum) {
    const box = $("summary");
    box.hidden = !sum;
    if (!sum) return;
    box.replaceChildren(el("h2", null, `Set ${sum.set} done`));
    const grid = el("div", "grid");
    const cells = sum.hold ? [  // a plank: holds, judged on their length
      [sum.reps, sum.reps === 1 ? "hold" : "holds"],
      [sum.on_tempo, "long enough"],
      [sum.faults, sum.faults === 1 ? "fault" : "faults"],
      [`${Math.round(sum.held_s)} s`, "held in all"],
    ] : [
      [sum.reps, "reps"],
      [sum.on_tempo, "on tempo"],
      [sum.clean_before_first_fault, "clean before a fault"],
      [sum.swings, sum.swings === 1 ? "swing" : "swings"],
      [sum.faults, sum.faults === 1 ? "fault" : "faults"],
      [`${Math.round(sum.tut_s)} s`, "under tension"],
    ];
    for (const [value, label] of cells) {
      const cell = el("div");
      cell.append(el("div", "num", String(value)), el("div", "lbl", label));
      grid.append(cell);
    }
    box.append(grid);
    if (sum.fault_names.length) box.append(el("p", null, `Faults: ${sum.fault_names.join(", ")}`));
  }

  function badgesOf(rep) {
    const out = [];
    if (rep.swing) out.push(el("span", "badge swing", "swing: no kick, lift with control"));
    for (const f of rep.fault_text) out.push(el("span", "badge fault", f));
    if (rep.in_gap) out.push(el("span", "badge note", "in a gap"));
    if (rep.uncertain) out.push(el("span", "badge note", "uncertain"));
    return out;
  }

  function renderLast(rep) {
    const box = $("last");
    box.hidden = !rep;
    if (!rep) return;
    // Numbered within its set, as the count, the terminal and reps.csv number it.
    $("last-no").textContent = `#${rep.rep}${rep.side ? " " + rep.side : ""}` +
      (rep.rom_deg !== null ? ` · ROM ${Math.round(rep.rom_deg)}°` : "");
    const cells = $("last-phases");
    cells.replaceChildren(...rep.phases.map((p) => {
      const c = el("div", `cell ${p.ok ? "ok" : "bad"}`);
      c.dataset.phase = p.phase;
      c.append(el("div", "lbl", p.label), el("div", "val", fmt(p.measured_s)),
               el("div", "of", `of ${num(p.prescribed_s)} s`));
      return c;
    }));
    const badges = badgesOf(rep);
    if (!badges.length && rep.tempo_ok) {
      badges.push(el("span", "badge good", state.count_label === "holds" ? "long enough" : "on tempo"));
    }
    $("last-head-word").textContent = state.count_label === "holds" ? "last hold" : "last rep";
    $("badges").replaceChildren(...badges);
  }

  function renderReps(reps) {
    const list = $("reps");
    const items = reps.slice().reverse().map((rep) => {
      const li = el("li");
      li.dataset.number = rep.number;
      li.append(el("span", "no", `#${rep.rep}`));
      for (const p of rep.phases) {
        const span = el("span", p.ok ? "ok" : "bad", `${p.label} ${fmt(p.measured_s)}/${num(p.prescribed_s)}`);
        li.append(span);
      }
      const flags = [];
      if (rep.swing) flags.push("swing");
      flags.push(...rep.fault_text);
      if (rep.in_gap) flags.push("in a gap");
      if (flags.length) li.append(el("span", "flag", flags.join(", ")));
      return li;
    });
    list.replaceChildren(...items);
  }

  function renderCue(s) {
    const cue = $("cue");
    cue.dataset.count = String(s.cues);
    if (s.cue) {
      if (s.cue.id !== lastCueId) {
        cue.replaceChildren(
          document.createTextNode(s.cue.message),
          el("small", null, `${PACE_WORDS[s.cue.phase] || s.cue.phase} in ` +
            `${fmt(s.cue.projected_s)} s at this pace, aim for ${num(s.cue.prescribed_s)} s`));
        cueShownAt = performance.now();
        if (!firstState) speak(s.cue.message);
        lastCueId = s.cue.id;
        lastCueRep = s.cue.rep_no;
      }
      cue.hidden = false;
    }
  }

  // ------------------------------------------------------------------ animation
  function elapsedNow() {
    const p = state.phase;
    if (p.elapsed_s === null || p.elapsed_s === undefined) return null;
    // A rest is timed on too (the stream goes on while the person rests).
    const ticking = state.running || (p.key === "rest" && state.link.state !== "ended");
    const extra = ticking ? ((performance.now() - receivedAt) / 1000) * state.speed : 0;
    return p.elapsed_s + extra;
  }

  function tick() {
    if (!state) return;
    const p = state.phase;
    const bar = $("phase-bar");
    const elapsed = elapsedNow();
    const prescribed = p.prescribed_s;
    if (offline) {
      // No news from the computer: a phase clock running on would be made up.
      bar.style.width = "0%";
      bar.className = "";
      $("phase-time").textContent = "";
    } else if (p.key === "rest" && elapsed !== null) {
      bar.style.width = "100%";
      bar.className = "over";
      const m = Math.floor(elapsed / 60), sec = Math.floor(elapsed % 60);
      $("phase-time").textContent = `rest ${m}:${String(sec).padStart(2, "0")}`;
    } else if (elapsed === null || !state.running) {
      bar.style.width = p.key === "rest" || p.key === "ended" ? "100%" : "0%";
      bar.className = p.key === "rest" || p.key === "ended" ? "over" : "";
      $("phase-time").textContent = "";
    } else if (p.key === "bottom_pause" &&
               elapsed > Math.max(BOTTOM_TO_REST_S, 2 * (prescribed || 0))) {
      const phase = $("phase");
      phase.textContent = "rest";
      phase.dataset.key = "rest";
      $("phase-hint").textContent = "resting? or go on with the next rep";
      bar.style.width = "100%";
      bar.className = "over";
      $("phase-time").textContent = `${fmt(elapsed, 0)} s`;
    } else if (prescribed) {
      const frac = Math.min(1, elapsed / prescribed);
      bar.style.width = `${(frac * 100).toFixed(1)}%`;
      bar.className = frac >= 1 ? "over" : "";
      $("phase-time").textContent = `${fmt(elapsed)} / ${num(prescribed)} s`;
      metronome(p, elapsed, prescribed);
    } else {
      bar.style.width = "100%";
      bar.className = "free"; // no prescription for this phase: nothing to fill against
      $("phase-time").textContent = `${fmt(elapsed)} s`;
    }
    const cue = $("cue");
    if (!cue.hidden && !state.cue) {
      const shownS = ((performance.now() - cueShownAt) / 1000) * state.speed;
      // The next rep's lift or lowering: the advice was for the rep before it.
      const nextRep = (p.key === "concentric" || p.key === "eccentric") && p.rep_no !== lastCueRep;
      const over = p.key === "rest" || p.key === "ended"; // the set is done: no cue over it
      if (shownS > CUE_MIN_SHOW_S || nextRep || over) cue.hidden = true;
    }
    // While a pace cue is up for this phase, its bar is red: the person is heading for a
    // phase too short.
    if (!cue.hidden && state.cue && state.cue.rep_no === p.rep_no && state.cue.phase === p.key) {
      bar.className = "warn";
    }
  }

  function frame() {
    tick();
    requestAnimationFrame(frame);
  }

  // ------------------------------------------------------------------ sound
  function ensureAudio() {
    if (!audio) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return null;
      audio = new Ctx();
    }
    if (audio.state === "suspended") audio.resume();
    return audio;
  }

  function beep(freq, ms) {
    const ctx = ensureAudio();
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    const t = ctx.currentTime;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.4, t + 0.005);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + ms / 1000);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + ms / 1000 + 0.02);
  }

  // One tick at the start of the phase and at every whole second up to its prescription;
  // the last one higher.
  function metronome(p, elapsed, prescribed) {
    const second = Math.floor(elapsed);
    if (second > prescribed) return;
    const key = `${p.rep_no}:${p.key}:${p.at_s}:${second}`;
    if (key === lastTick) return;
    lastTick = key;
    if (!prefs.metronome) return;
    beep(second >= prescribed ? 1320 : 880, 60);
    const button = $("metronome");
    button.dataset.ticks = String(Number(button.dataset.ticks || 0) + 1); // for tests
  }

  function speak(text) {
    if (!prefs.sound || !("speechSynthesis" in window)) return;
    const u = new SpeechSynthesisUtterance(text);
    u.rate = 1.1;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(u);
  }

  function setupToggle(id, name, label) {
    const button = $(id);
    const show = () => {
      button.setAttribute("aria-pressed", String(prefs[name]));
      button.textContent = `${label} ${prefs[name] ? "on" : "off"}`;
    };
    button.addEventListener("click", () => {
      prefs[name] = !prefs[name];
      if (prefs[name]) ensureAudio(); // a tap is what lets a phone play sound
      try { localStorage.setItem(`imu-${name}`, prefs[name] ? "1" : "0"); } catch (e) { /* private mode */ }
      show();
    });
    try { prefs[name] = localStorage.getItem(`imu-${name}`) === "1"; } catch (e) { /* private mode */ }
    show();
  }

  // ------------------------------------------------------------------ stream
  function accept(snapshot) {
    offline = false;
    state = snapshot;
    receivedAt = performance.now();
    render();
    firstState = false;
  }

  function connect() {
    const pageLink = $("page-link");
    const source = new EventSource(`events?token=${encodeURIComponent(token)}`);
    source.addEventListener("state", (e) => {
      pageLink.textContent = "";
      accept(JSON.parse(e.data));
    });
    source.addEventListener("error", () => {
      if (state && state.ended) {
        pageLink.textContent = "session over; the reports are on the computer";
        source.close();
        return;
      }
      pageLink.textContent = "no link to the computer, retrying";
      const link = $("link");
      link.dataset.state = "offline";
      link.textContent = "computer unreachable";
      offline = true;
      const phase = $("phase");
      phase.textContent = "no link to the computer";
      phase.dataset.key = "offline";
      $("phase-hint").textContent = "the page reconnects by itself; the session goes on";
      tick();
    });
  }

  setupToggle("sound", "sound", "sound");
  setupToggle("metronome", "metronome", "metronome");
  fetch(`state?token=${encodeURIComponent(token)}`, { cache: "no-store" })
    .then((r) => (r.ok ? r.json() : null))
    .then((s) => { if (s && !state) accept(s); })
    .catch(() => {});
  connect();
  requestAnimationFrame(frame);
})();
