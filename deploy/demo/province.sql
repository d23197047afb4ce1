-- Demo reference data for a small province, loaded by `tools/dev up` after the
-- services have migrated their schemas. Safe to load again: rows are upserted.
-- The names and numbers are made up.

BEGIN;

INSERT INTO dispatch.branches
  (branch_id, name, kind, parent_id, duty_phone, area_class, arrival_limit_minutes,
   ticket_types, fault_scopes)
VALUES
  ('DC-PROV',  'Provincial 95598 dispatch centre', 'dispatch_center', NULL, '0571-95598000', 'urban', 45,
   '{repair,consultation,query,complaint,report,suggestion,praise,application}', '{}'),
  ('MKT-PROV', 'Marketing department, quality-service officer', 'marketing', NULL, '0571-95598010', 'urban', 45,
   '{complaint,suggestion,praise,consultation,query}',
   '{grid_construction,service,supply_quality,outage_and_restoration,business}'),
  ('DIS-PROV', 'Discipline inspection office', 'discipline', NULL, '0571-95598020', 'urban', 45,
   '{report}', '{misconduct}'),
  ('INS-PROV', 'Electricity inspection team', 'inspection', NULL, '0571-95598030', 'urban', 45,
   '{report}', '{theft}'),
  ('MET-QY',   'Qingyuan metering office', 'metering_office', NULL, '0578-6100100', 'urban', 45,
   '{repair}', '{hv_metering}'),
  ('DD-QY',    'Qingyuan city distribution district', 'distribution_district', NULL, '0578-6100200', 'urban', 45,
   '{repair}', '{public_network}'),
  ('BH-QY',    'Qingyuan city business hall', 'business_hall', NULL, '0578-6100300', 'urban', 45,
   '{application,query,repair}', '{meter_box,business}'),
  ('SS-SX',    'Shixi township supply station', 'supply_station', NULL, '0578-6210100', 'rural', 90,
   '{repair,application,query}', '{public_network,meter_box,business}'),
  ('RC-SX',    'Shixi repair crew', 'repair_crew', 'SS-SX', '0578-6210110', 'rural', 90,
   '{repair}', '{public_network}'),
  ('SS-HL',    'Huangling mountain supply station', 'supply_station', NULL, '0578-6320100', 'remote', 120,
   '{repair,application,query}', '{public_network,meter_box,business}')
ON CONFLICT (branch_id) DO UPDATE SET
  name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id,
  duty_phone = EXCLUDED.duty_phone, area_class = EXCLUDED.area_class,
  arrival_limit_minutes = EXCLUDED.arrival_limit_minutes, ticket_types = EXCLUDED.ticket_types,
  fault_scopes = EXCLUDED.fault_scopes, updated_at = now();

-- Territories: area paths run from the province down ("Province/City/County/
-- Township/Village"); feeders and transformer areas are ids. Routing takes
-- the most specific match (dispatch.proto, TerritoryLevel). The provincial
-- departments cover the whole province.
INSERT INTO dispatch.territories (branch_id, level, value) VALUES
  ('MKT-PROV', 'province',             'Demo Province'),
  ('DIS-PROV', 'province',             'Demo Province'),
  ('INS-PROV', 'province',             'Demo Province'),
  ('DD-QY',  'county',               'Demo Province/Qingyuan/Liandu District'),
  ('BH-QY',  'county',               'Demo Province/Qingyuan/Liandu District'),
  ('MET-QY', 'county',               'Demo Province/Qingyuan/Liandu District'),
  ('DD-QY',  'feeder',               'F10-LD-101'),
  ('DD-QY',  'feeder',               'F10-LD-102'),
  ('SS-SX',  'township',             'Demo Province/Qingyuan/Liandu District/Shixi Town'),
  ('RC-SX',  'feeder',               'F10-SX-201'),
  ('RC-SX',  'transformer_area',     'TA-SX-0007'),
  ('SS-SX',  'village_or_community', 'Demo Province/Qingyuan/Liandu District/Shixi Town/Xiayang Village'),
  ('SS-HL',  'township',             'Demo Province/Qingyuan/Jingning County/Huangling Town'),
  ('SS-HL',  'feeder',               'F10-HL-301')
ON CONFLICT DO NOTHING;

-- National holidays and make-up working days (a demo year; operators load the
-- State Council's published schedule each December).
INSERT INTO sla.calendar_days (region, day, working, note) VALUES
  ('', '2026-01-01', false, 'New Year'),
  ('', '2026-01-02', false, 'New Year'),
  ('', '2026-01-04', true,  'make-up working day'),
  ('', '2026-02-16', false, 'Spring Festival'),
  ('', '2026-02-17', false, 'Spring Festival'),
  ('', '2026-02-18', false, 'Spring Festival'),
  ('', '2026-02-19', false, 'Spring Festival'),
  ('', '2026-02-20', false, 'Spring Festival'),
  ('', '2026-02-14', true,  'make-up working day'),
  ('', '2026-02-28', true,  'make-up working day'),
  ('', '2026-04-06', false, 'Qingming'),
  ('', '2026-05-01', false, 'Labour Day'),
  ('', '2026-05-04', false, 'Labour Day'),
  ('', '2026-05-05', false, 'Labour Day'),
  ('', '2026-05-09', true,  'make-up working day'),
  ('', '2026-06-19', false, 'Dragon Boat Festival'),
  ('', '2026-09-25', false, 'Mid-Autumn Festival'),
  ('', '2026-10-01', false, 'National Day'),
  ('', '2026-10-02', false, 'National Day'),
  ('', '2026-10-05', false, 'National Day'),
  ('', '2026-10-06', false, 'National Day'),
  ('', '2026-10-07', false, 'National Day'),
  ('', '2026-10-10', true,  'make-up working day'),
  ('', '2027-01-01', false, 'New Year')
ON CONFLICT (region, day) DO UPDATE SET working = EXCLUDED.working, note = EXCLUDED.note;

COMMIT;
