// Reads .ics files with Mozilla's ical.js and prints what it understood as JSON, so the
// Python tests can compare it with icalendar's and vobject's reading.
//
//   node read_ics.mjs FILE...      (a FILE of "-" reads standard input)
//
// Output: a JSON array, one object per file:
//   {file, method, prodid, timezones: [TZID...], problems: [...],
//    events: [{uid, sequence, status, summary, description, location, transp,
//              dtstart, dtend (UTC, ISO 8601 with Z), dtstart_tzid, dtend_tzid,
//              organizer: {email, cn}, attendees: [{email, cn, role, partstat, rsvp,
//              cutype}]}]}
// Times are converted with the VTIMEZONE definitions in the file itself: ical.js has no
// time zone database of its own, so a missing or wrong VTIMEZONE shows.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function utc(prop, comp, problems) {
  if (!prop) return null;
  const tzid = prop.getParameter("tzid");
  if (tzid && !comp.getTimeZoneByID(tzid)) {
    problems.push(`no VTIMEZONE for TZID ${tzid} (${prop.name})`);
    return null;
  }
  const time = prop.getFirstValue();
  if (!tzid && !time.zone?.tzid?.startsWith("UTC") && time.zone !== ICAL.Timezone.utcTimezone) {
    problems.push(`${prop.name} is floating time`);
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

function address(prop) {
  if (!prop) return null;
  const value = String(prop.getFirstValue());
  return value.replace(/^mailto:/i, "");
}

function readOne(name, text) {
  const problems = [];
  const root = new ICAL.Component(ICAL.parse(text));
  const timezones = root.getAllSubcomponents("vtimezone")
    .map((tz) => tz.getFirstPropertyValue("tzid"));
  const events = root.getAllSubcomponents("vevent").map((ev) => {
    const organizer = ev.getFirstProperty("organizer");
    const start = ev.getFirstProperty("dtstart");
    const end = ev.getFirstProperty("dtend");
    return {
      uid: ev.getFirstPropertyValue("uid"),
      sequence: ev.getFirstPropertyValue("sequence"),
      status: ev.getFirstPropertyValue("status"),
      summary: ev.getFirstPropertyValue("summary"),
      description: ev.getFirstPropertyValue("description"),
      location: ev.getFirstPropertyValue("location"),
      transp: ev.getFirstPropertyValue("transp"),
      dtstart: utc(start, root, problems),
      dtend: utc(end, root, problems),
      dtstart_tzid: start?.getParameter("tzid") ?? null,
      dtend_tzid: end?.getParameter("tzid") ?? null,
      organizer: organizer
        ? { email: address(organizer), cn: organizer.getParameter("cn") ?? null }
        : null,
      attendees: ev.getAllProperties("attendee").map((a) => ({
        email: address(a),
        cn: a.getParameter("cn") ?? null,
        role: a.getParameter("role") ?? null,
        partstat: a.getParameter("partstat") ?? null,
        rsvp: a.getParameter("rsvp") ?? null,
        cutype: a.getParameter("cutype") ?? null,
      })),
    };
  });
  return {
    file: name,
    method: root.getFirstPropertyValue("method"),
    prodid: root.getFirstPropertyValue("prodid"),
    timezones,
    problems,
    events,
  };
}

const files = process.argv.slice(2);
const out = files.map((name) =>
  readOne(name, readFileSync(name === "-" ? 0 : name, "utf8")));
process.stdout.write(JSON.stringify(out));
