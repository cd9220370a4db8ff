// The coaching screen: renders the state the server pushes (server-sent events), moves the
// phase bar between messages, and plays the optional cues (metronome, spoken "slower").
// The state's layout: imu/live/web/state.py (CoachingState.snapshot). Times are data seconds;
// `speed` data seconds pass per wall second (1 live, --speed in simulations).
"use strict";

(() => {
  const token = new URLSearchParams(location.search).get("token") || "";
  const $ = (id) => document.getElementById(id);
  // How long the note "sensor back: N s lost" stays, data seconds (RECOVERED_NOTE_S in state.py).
  const BACK_NOTE_S = 15;
  // Phase names longer than this take a smaller size, on one line ("session ended").
  const SHORT_NAME = 6;
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
  let lastFormId = 0; // the plank's live form cue last spoken
  let lastTick = "";
  let audio = null;
  let offline = false; // the event stream dropped: what the page shows is stale
  let offlineSince = 0; // performance.now() when it dropped
  let correctionWanted = false; // the last rep has a correction to show (when no cue is up)
  const prefs = { sound: false, metronome: false };

  // ------------------------------------------------------------------ helpers
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  // A number as the terminal and the report print it (Python's f"{x:z.1f}"): the state sends
  // values unrounded and the page rounds them once. toFixed rounds a tie exact in binary
  // (2.25) up where Python rounds it to even ("2.2"); "-0.0" reads "0.0".
  function fixed(x, digits) {
    const a = Math.abs(x);
    let text = a.toFixed(digits);
    const exact = a.toFixed(100); // every digit of the binary value
    const point = exact.indexOf(".");
    const kept = exact.slice(0, digits ? point + 1 + digits : point);
    if (/^50*$/.test(exact.slice(point + 1 + digits)) && Number(kept.slice(-1)) % 2 === 0) {
      text = kept;
    }
    return x < 0 && Number(text) !== 0 ? `-${text}` : text;
  }
  function fmt(x, digits = 1) {
    return x === null || x === undefined ? "-" : fixed(Number(x), digits);
  }
  // A phase duration with a decimal more where it would print as a threshold it is not (the
  // report's near_limit, imu/report/tables.py): a 1.49 s descent against the dropped line at
  // 1.5 s reads "1.49", not "1.5". `limits`: the phase's limits_s from the state.
  // As near_limit: at most two decimals; a value that still prints as a limit then keeps one.
  function nearLimit(x, limits, digits = 1, maxDigits = 2) {
    if (x === null || x === undefined) return "-";
    const bounds = (limits || []).filter((b) => b !== x);
    // Python's math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    const close = (a, b) =>
      Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 1e-12);
    for (let places = digits; places <= maxDigits; places++) {
      const text = fixed(x, places);
      if (!bounds.some((b) => close(Number(text), b))) return text;
    }
    return fixed(x, digits);
  }
  // A running clock: cut (not rounded) to `digits`, so it never shows a second not yet reached.
  function clock(x, digits) {
    const f = 10 ** digits;
    return (Math.floor(x * f + 1e-9) / f).toFixed(digits);
  }
  function num(x) {
    return x === null || x === undefined ? "-" : String(Number(x));
  }
  // A phase's class: ok (green), bad (red, with ▼/▲), or nj: not judged (over a data gap, ok
  // null), grey, neither on tempo nor off.
  function judgedClass(ok) {
    return ok === null || ok === undefined ? "nj" : ok ? "ok" : "bad";
  }
  // What a rep or hold over a data gap is called (NOT_JUDGED_REP in imu/live/events.py).
  const NOT_JUDGED = "not judged (data gap)";
  // A phase over the sensor's loss, in place of its length (OVER_GAP in imu/live/events.py).
  const OVER_GAP = "over gap";

  // ------------------------------------------------------------------ rendering
  function render() {
    const s = state;
    document.body.dataset.seq = String(s.seq); // a state has arrived (tests wait for it)
    document.title = `${s.count} · ${s.phase.name} · imu live`;
    $("exercise").textContent = s.exercise;
    // A plank is held, not lifted: its target hold, not a tempo "1-20-1" (as the report says).
    // A standing strict lift has no tempo (its pelvis should stay still), as the terminal's
    // title: nothing.
    $("tempo").textContent = s.hip_drive ? "" : s.count_label === "holds"
      ? `hold ${num(s.prescribed_s.top_hold)} s` : `tempo ${s.tempo}`;
    // Before the movement is learned, nothing is counted yet: "–" and "reps: counted once
    // learned", as the terminal, never a 0 after reps the person did.
    const pending = s.count_pending || "";
    $("rep-count").textContent = pending ? "–" : String(s.count);
    $("count-label").textContent = pending || s.count_label || "reps";
    $("set-no").textContent = String(s.set_no);
    // A strict lift's count is of the session's hip drives: no set, and what it leaves out.
    $("set-part").hidden = !!s.hip_drive || !!pending;
    $("total").textContent = s.hip_drive ? (s.count_note ? `(${s.count_note})` : "")
      : s.total !== s.count ? `· ${s.total} in all` : "";
    renderLink(s);
    showPhase(s.phase.key, s.phase.name, s.phase.hint || "");
    renderSummary(s.resting);
    renderLast(s.last_rep);
    renderReps(s.reps);
    const notice = $("notice");
    notice.textContent = s.notice || "";
    notice.hidden = !s.notice;
    renderCue(s);
    renderForm(s);
    renderCorrection(s);
    // The metronome ticks a rep's phases: a hold (plank) and a strict lift have none: no button.
    const metro = $("metronome");
    metro.hidden = s.metronome === false;
    if (metro.hidden) prefs.metronome = false;
    tick();
  }

  // A plank's hips sagging or piking in the hold under way: up while it lasts.
  function renderForm(s) {
    const box = $("form-cue");
    const form = s.form;
    if (!form) {
      box.hidden = true;
      box.dataset.fault = "";
      return;
    }
    if (form.id !== lastFormId) {
      box.replaceChildren(document.createTextNode(form.what), el("small", null, form.do));
      if (!firstState) speak(form.text);
      lastFormId = form.id;
    }
    box.dataset.fault = form.fault;
    box.hidden = false;
  }

  function showPhase(key, name, hint) {
    const phase = $("phase");
    phase.textContent = name;
    phase.dataset.key = key;
    phase.classList.toggle("long", name.length > SHORT_NAME);
    $("phase-hint").textContent = hint;
  }

  function setClock(text, of, cls) {
    $("phase-clock").textContent = text;
    $("phase-of").textContent = of ? ` ${of}` : "";
    $("phase-time").className = (cls || "") + (text || of ? "" : " blank");
  }

  function cap(text) {
    return text ? text[0].toUpperCase() + text.slice(1) : text;
  }

  // The data seconds that passed since `state` arrived (the page counts on between messages).
  function sinceReceived() {
    return ((performance.now() - receivedAt) / 1000) * state.speed;
  }

  // The sensor lost (the state says so) or the computer (the event stream dropped): the alarm
  // in place of the phase, its clock and the correction. Returns whether it is up.
  function renderAlarm() {
    const alarm = $("alarm");
    let kind = "";
    if (offline) {
      kind = "computer";
      const s = Math.floor((performance.now() - offlineSince) / 1000);
      $("alarm-title").textContent = "no link to the computer";
      $("alarm-time").textContent = `for ${s} s`;
      $("alarm-text").textContent = "retrying every second; the computer goes on recording";
    } else if (state.link.down_s !== null && state.link.down_s !== undefined) {
      kind = "sensor";
      const s = Math.floor(state.link.down_s + sinceReceived());
      $("alarm-title").textContent = "sensor lost";
      $("alarm-time").textContent = `for ${s} s`;
      $("alarm-text").textContent = state.phase.hint || "reconnecting...";
    }
    alarm.hidden = !kind;
    alarm.dataset.kind = kind;
    if (kind) document.body.dataset.alarm = kind;
    else delete document.body.dataset.alarm;
    const back = state.link.back;
    const note = $("back-note");
    const showBack = !kind && back && back.ago_s + sinceReceived() < BACK_NOTE_S;
    note.hidden = !showBack;
    if (showBack) note.textContent = back.text;
    return !!kind;
  }

  // What the last rep (or hold) is called: "last rep", and "last rep of set 1" once the next
  // set has begun, so that a count of 0 in set 2 never sits beside "last rep #6: swing" as if
  // the rep under way were meant.
  function lastWord(s, rep) {
    const word = s.count_label === "holds" ? "last hold" : "last rep";
    return rep.set !== undefined && rep.set !== s.set_no ? `${word} of set ${rep.set}` : word;
  }

  // What the last rep needs (large), when no SLOWER is up and no set summary speaks for it.
  function renderCorrection(s) {
    const box = $("correction");
    const rep = s.last_rep;
    const fix = rep && rep.correction;
    // A plank's next hold under way: the last hold's "lift the hips", large and red where
    // the live sag cue comes, read as the hips sagging now; it is shown between holds.
    const holding = s.count_label === "holds" && s.phase.key === "top_hold";
    const over = s.phase.key === "rest" || s.phase.key === "ended" || s.resting || holding;
    correctionWanted = !!fix && !over;
    box.hidden = !correctionWanted;
    if (!correctionWanted) return;
    const word = s.hip_drive ? "last hip drive" : lastWord(s, rep);
    // A rep the analyzer is not sure was one: no red correction (the set summary leaves it
    // out), but the words that it may not be one, muted, over what was seen.
    box.classList.toggle("unsure", !!fix.uncertain);
    box.replaceChildren(el("div", "do", cap(fix.cue)), el("div", "why", `${word}: ${fix.why}`));
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
    // A standing strict lift: a pause between hip drives is no set the person did.
    box.replaceChildren(el("h2", null, sum.hip_drive ? "Paused" : `Set ${sum.set} done`));
    const coach = sum.coaching;
    if (coach) {
      // The one coaching line of the set, large; why, small.
      box.append(el("p", `coach${coach.good ? " good" : ""}`, cap(coach.cue)));
      if (coach.why) box.append(el("p", "why", coach.why));
    }
    const grid = el("div", "grid");
    // An uncertain rep may be no rep: its swing and faults are not counted (the report's
    // rule), and every count that leaves some out says how many.
    const leftOut = sum.uncertain ? ` (${sum.uncertain} uncertain left out)` : "";
    const cells = sum.hip_drive ? [  // what is measured: the hip drives, not the lifts
      [sum.swings, `hip drive${sum.swings === 1 ? "" : "s"} since the last pause${leftOut}`],
    ] : sum.hold ? [  // a plank: holds, judged on their length
      [sum.reps, sum.reps === 1 ? "hold" : "holds"],
      [sum.on_tempo, (sum.not_judged
        ? `long enough; ${sum.not_judged} more not judged (over a data gap)` : "long enough")
        + leftOut],
      [sum.faults, `${sum.faults === 1 ? "fault" : "faults"}${leftOut}`],
      [`${fmt(sum.held_s, 0)} s`, "held in all"],
    ] : [
      [sum.reps, "reps"],
      // The reps over a gap are none of the ones on tempo: "2 on tempo; 1 more not judged".
      [sum.on_tempo, (sum.not_judged ? `on tempo; ${sum.not_judged} more not judged (over a data gap)`
        : "on tempo") + leftOut],
      [sum.clean_before_first_fault,
        // A swing ends the run of clean reps too, though it is no fault.
        `clean rep${sum.clean_before_first_fault === 1 ? "" : "s"} before the first swing or fault${leftOut}`],
      [sum.swings, `${sum.swings === 1 ? "swing" : "swings"}${leftOut}`],
      [sum.faults, `${sum.faults === 1 ? "fault" : "faults"}${leftOut}`],
      // null: every rep was over a data gap, so how long they lasted is not known.
      sum.tut_s === null ? ["–", "under tension: unknown (sensor lost)"]
        : [`${fmt(sum.tut_s, 0)} s`, "under tension"],
    ];
    for (const [value, label] of cells) {
      const cell = el("div");
      cell.append(el("div", "num", String(value)), el("div", "lbl", label));
      grid.append(cell);
    }
    box.append(grid);
    if (sum.fault_names.length) {
      box.append(el("p", "also", `faults seen: ${sum.fault_names.join(", ")}`));
    }
  }

  function badgesOf(rep) {
    const out = [];
    const drive = rep.hip_drive;
    if (drive) {
      // A standing strict lift: the rep is a hip drive, counted or not (the terminal's words).
      if (drive.counted) out.push(el("span", "badge swing", "hip drive"));
      if (drive.note) out.push(el("span", "badge note", drive.note));
      return out;
    }
    // An uncertain rep: said first (its swing and faults are not counted), and they are muted.
    if (rep.uncertain && !rep.in_gap) out.push(el("span", "badge note", "uncertain"));
    const flag = rep.uncertain && !rep.in_gap ? "badge note" : null;
    if (rep.swing) out.push(el("span", flag || "badge swing", "swing"));
    for (const f of rep.fault_text) out.push(el("span", flag || "badge fault", f));
    if (rep.in_gap) out.push(el("span", "badge note", rep.not_judged || NOT_JUDGED));
    if (rep.missed_before) out.push(el("span", "badge note", rep.missed_before));
    return out;
  }

  function renderLast(rep) {
    const box = $("last");
    box.hidden = !rep;
    if (!rep) return;
    const drive = rep.hip_drive;
    if (drive) {
      // A standing strict lift: "hip drive at 95 s · pelvis moved 15°", as the terminal's
      // line places it; no phases (a hip drive has no tempo) and no set.
      $("last-head-word").textContent = drive.text;
      $("last-no").textContent = drive.moved_deg !== null
        ? `· pelvis moved ${fmt(drive.moved_deg, 0)}°` : "";
      $("last-phases").replaceChildren();
      $("badges").replaceChildren(...badgesOf(rep));
      return;
    }
    // Numbered within its set, as the count, the terminal and reps.csv number it.
    $("last-no").textContent = `#${rep.rep}${rep.side ? " " + rep.side : ""}` +
      (rep.rom_deg !== null ? ` · range ${fmt(rep.rom_deg, 0)}°` : "");
    const cells = $("last-phases");
    cells.replaceChildren(...rep.phases.map((p) => {
      const c = el("div", `cell ${judgedClass(p.ok)}`);
      c.dataset.phase = p.phase;
      // Off tempo is marked ▼ short or ▲ long, never by colour alone. A phase over the
      // sensor's loss has no length (it would count the seconds without data): "over gap".
      const value = p.over_gap ? OVER_GAP : nearLimit(p.measured_s, p.limits_s);
      c.append(el("div", "lbl", p.label),
               el("div", p.over_gap ? "val gap" : "val", `${value}${p.mark ? " " + p.mark : ""}`),
               el("div", "of", `of ${num(p.prescribed_s)} s`));
      return c;
    }));
    const badges = badgesOf(rep);
    if (!badges.length && rep.tempo_ok) {
      badges.push(el("span", "badge good", state.count_label === "holds" ? "long enough" : "on tempo"));
    }
    $("last-head-word").textContent = lastWord(state, rep);
    $("badges").replaceChildren(...badges);
  }

  function renderReps(reps) {
    const list = $("reps");
    const items = reps.slice().reverse().map((rep) => {
      const li = el("li");
      li.dataset.number = rep.number;
      const drive = rep.hip_drive;
      if (drive) {
        // A strict lift's hip drives of the session, placed in time (no set, no phases).
        li.append(el("span", "no", drive.text));
        if (drive.moved_deg !== null) {
          li.append(el("span", null, `pelvis moved ${fmt(drive.moved_deg, 0)}°`));
        }
        if (drive.note) li.append(el("span", "nj", drive.note));
        return li;
      }
      li.append(el("span", "no", `#${rep.rep}`));
      for (const p of rep.phases) {
        const span = el("span", judgedClass(p.ok), p.over_gap ? `${p.label} ${OVER_GAP}` :
          `${p.label} ${nearLimit(p.measured_s, p.limits_s)}/${num(p.prescribed_s)}` +
          `${p.mark ? " " + p.mark : ""}`);
        li.append(span);
      }
      const flags = [];
      if (rep.swing) flags.push("swing");
      flags.push(...rep.fault_text);
      const unsureRep = rep.uncertain && !rep.in_gap;
      if (flags.length) li.append(el("span", unsureRep ? "nj" : "flag", flags.join(", ")));
      // As its plain line: it may be no rep, and its swing and faults are not counted.
      if (unsureRep) li.append(el("span", "nj", "uncertain: may not be a rep"));
      if (rep.in_gap) li.append(el("span", "nj", rep.not_judged || NOT_JUDGED));
      return li;
    });
    list.replaceChildren(...items);
  }

  function renderCue(s) {
    const cue = $("cue");
    cue.dataset.count = String(s.cues);
    if (s.cue) {
      if (s.cue.id !== lastCueId) {
        cue.replaceChildren(document.createTextNode(s.cue.message), el("small", null, s.cue.text));
        cueShownAt = performance.now();
        if (!firstState) speak(s.cue.message);
        lastCueId = s.cue.id;
        lastCueRep = s.cue.rep_no;
        cue.hidden = false; // a new cue (tick hides it once its lowering is over)
      }
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

  function restClock(elapsed) {
    const m = Math.floor(elapsed / 60), sec = Math.floor(elapsed % 60);
    return `${m}:${String(sec).padStart(2, "0")}`;
  }

  function tick() {
    if (!state) return;
    const p = state.phase;
    const bar = $("phase-bar");
    const barBox = bar.parentElement;
    const elapsed = elapsedNow();
    const prescribed = p.prescribed_s;
    barBox.classList.remove("none");
    if (renderAlarm()) {
      // No news from the sensor or the computer: a phase clock running on would be made up.
      bar.style.width = "0%";
      bar.className = "";
      setClock("", "");
    } else if (p.key === "held" && p.measured_s !== null && p.measured_s !== undefined) {
      // A hold just ended: its measured length, the figure saved, replaces the running clock.
      const frac = prescribed ? Math.min(1, p.measured_s / prescribed) : 1;
      bar.style.width = `${(frac * 100).toFixed(1)}%`;
      const of = prescribed ? `/ ${num(prescribed)} s` : "s";
      if (p.ok === null || p.ok === undefined) {
        // Over a data gap: how long it lasted is not known, so neither long enough nor short.
        bar.className = "";
        setClock(fmt(p.measured_s), `${of} · ${NOT_JUDGED}`, "nj");
      } else {
        bar.className = p.ok ? "over" : "warn";
        // Short of the target yet within its tolerance: green, and said why (as the report),
        // or "18.6 / 20 s" in green reads as a mistake from the floor.
        const enough = p.ok && prescribed && p.measured_s < prescribed ? " · long enough" : "";
        setClock(fmt(p.measured_s), `${of}${p.ok ? enough : " ▼"}`, p.ok ? "ok" : "bad");
      }
    } else if (p.key === "rest" && elapsed !== null) {
      // The rest timer (the phase word already says REST); no bar to fill.
      barBox.classList.add("none");
      setClock(restClock(elapsed), "");
    } else if (elapsed === null || !state.running) {
      bar.style.width = "0%";
      bar.className = "";
      // Nothing is timed (learning the movement, connecting, "carry on", the end): no bar,
      // whose empty track read from the floor as a timer stuck at zero.
      barBox.classList.add("none");
      setClock("", "");
    } else if (p.key === "bottom_pause" &&
               elapsed > Math.max(BOTTOM_TO_REST_S, 2 * (prescribed || 0))) {
      showPhase("rest", "rest", p.rest_hint || "");
      barBox.classList.add("none");
      // One rest clock, m:ss, before and after the set is ended ("13 s" became "0:15").
      setClock(restClock(elapsed), "");
    } else if (prescribed) {
      const frac = Math.min(1, elapsed / prescribed);
      bar.style.width = `${(frac * 100).toFixed(1)}%`;
      bar.className = frac >= 1 ? "over" : "";
      // Long holds in whole seconds, so that "108 / 120 s" fits a phone's width.
      setClock(clock(elapsed, prescribed >= 10 ? 0 : 1), `/ ${num(prescribed)} s`);
      metronome(p, elapsed, prescribed);
    } else {
      bar.style.width = "100%";
      bar.className = "free"; // no prescription for this phase: nothing to fill against
      setClock(`${clock(elapsed, elapsed >= 10 ? 0 : 1)} s`, "");
    }
    const cue = $("cue");
    if (!cue.hidden && !state.cue) {
      const shownS = ((performance.now() - cueShownAt) / 1000) * state.speed;
      // The next rep's lift or lowering: the advice was for the rep before it.
      const nextRep = (p.key === "concentric" || p.key === "eccentric") && p.rep_no !== lastCueRep;
      const over = p.key === "rest" || p.key === "ended"; // the set is done: no cue over it
      if (shownS > CUE_MIN_SHOW_S || nextRep || over) cue.hidden = true;
    } else if (!cue.hidden && state.cue) {
      // Its lowering ended (the rep is at the bottom, or the next began): after its minimum
      // time, the last rep's correction says how it went, not a stale SLOWER.
      const shownS = ((performance.now() - cueShownAt) / 1000) * state.speed;
      const ended = p.key !== state.cue.phase || p.rep_no !== state.cue.rep_no;
      if (ended && shownS > CUE_MIN_SHOW_S) cue.hidden = true;
      // Up a moment longer than its phase: said in the past ("that lowering was heading
      // for 1.2 s"), where "lowering in 1.2 s at this pace" read as the next rep's.
      const small = cue.querySelector("small");
      if (ended && small && state.cue.past && small.textContent !== state.cue.past) {
        small.textContent = state.cue.past;
      }
    }
    // One correction at a time: SLOWER while it is up, else the last rep's.
    $("correction").hidden = !correctionWanted || !cue.hidden || !$("form-cue").hidden;
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
      if (!offline) offlineSince = performance.now();
      offline = true;
      showPhase("offline", "no link to the computer",
                "the page reconnects by itself; the session goes on");
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
