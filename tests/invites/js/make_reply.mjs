// Builds an iTIP REPLY to one of our REQUESTs with Mozilla's ical.js, as a calendar
// client does when its user answers: the event's UID, SEQUENCE, DTSTART/DTEND and
// ORGANIZER kept, the answering ATTENDEE alone with its PARTSTAT.
//
//   node make_reply.mjs REQUEST.ics ATTENDEE PARTSTAT [SENT-BY]   (prints the REPLY)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, attendee, partstat, sentBy] = process.argv.slice(2);
const request = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
const event = request.getFirstSubcomponent("vevent");

const reply = new ICAL.Component(["vcalendar", [], []]);
reply.updatePropertyWithValue("prodid", "-//ical.js reply maker//EN");
reply.updatePropertyWithValue("version", "2.0");
reply.updatePropertyWithValue("method", "REPLY");
for (const tz of request.getAllSubcomponents("vtimezone")) reply.addSubcomponent(tz);
const answer = new ICAL.Component("vevent");
for (const name of ["uid", "sequence", "dtstart", "dtend", "organizer", "summary"]) {
  const prop = event.getFirstProperty(name);
  if (prop) answer.addProperty(ICAL.Property.fromString(prop.toICALString()));
}
answer.updatePropertyWithValue("dtstamp", ICAL.Time.now());
const mine = event.getAllProperties("attendee").find(
  (p) => String(p.getFirstValue()).toLowerCase() === `mailto:${attendee}`.toLowerCase());
if (!mine) {
  process.stderr.write(`${attendee} is not an attendee of the request\n`);
  process.exit(2);
}
const line = ICAL.Property.fromString(mine.toICALString());
line.setParameter("partstat", partstat);
line.removeParameter("rsvp");
if (sentBy) line.setParameter("sent-by", `mailto:${sentBy}`);
answer.addProperty(line);
reply.addSubcomponent(answer);
process.stdout.write(reply.toString());
