-- The working-day calendar: days that differ from the Monday-to-Friday rule,
-- i.e. public holidays on weekdays and make-up working days on weekends.
-- A province may keep its own calendar; '' is the national one.
CREATE TABLE calendar_days (
  region  text NOT NULL DEFAULT '',
  day     date NOT NULL,
  working boolean NOT NULL,
  note    text NOT NULL DEFAULT '',
  PRIMARY KEY (region, day)
);
