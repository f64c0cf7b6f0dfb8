-- wrk script for bench/intake.py: POST /works with a fresh, valid work each time.
-- Usage: wrk ... -s bench/intake.lua URL -- TARGETS_FILE EDITION [PAUSE_MS]
-- With PAUSE_MS each connection waits a random time (exponential, that mean) before each request: works then
-- arrive at about connections / (PAUSE_MS + response time) a second, at random moments (the paced run).
-- TARGETS_FILE has one line per district: bearer token, district, neighbourhood (tab-separated).
-- Titles and national IDs differ on every request, so no work is flagged as a probable duplicate.

local targets = {}
local counter = 0
local edition = "1405"
local categories = {"entrepreneurship", "welfare", "participation"}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

function init(args)
  edition = args[2] or edition
  for line in io.lines(args[1]) do
    local token, district, neighbourhood = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if token then
      table.insert(targets, {token = token, district = tonumber(district), neighbourhood = neighbourhood})
    end
  end
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
  local pause = tonumber(args[3] or "0")
  if pause > 0 then
    -- wrk paces requests only when the script defines delay(); the other runs go as fast as they can.
    function delay()
      return -pause * math.log(1 - math.random())
    end
  end
end

-- A valid national ID (کد ملی): nine digits and the mod-11 check digit; never ten equal digits.
local function national_id()
  local digits, sum = {}, 0
  for i = 1, 9 do
    digits[i] = math.random(0, 9)
  end
  if digits[1] == digits[2] then
    digits[1] = (digits[1] + 1) % 10
  end
  for i = 1, 9 do
    sum = sum + digits[i] * (11 - i)
  end
  local remainder = sum % 11
  local check = remainder < 2 and remainder or 11 - remainder
  return table.concat(digits) .. check
end

function request()
  counter = counter + 1
  local target = targets[(counter % #targets) + 1]
  local body = string.format(
    '{"edition":"%s","district":%d,"neighbourhood":"%s","category":"%s",' ..
    '"title":"طرح محله‌ای شماره %d-%d","summary":"ساکنان محله با هم یک کار نیک را پیش بردند و ادامه دادند.",' ..
    '"submitter":{"name":"شهروند آزمایشی","national_id":"%s","mobile":"0912%07d"},"beneficiaries":%d}',
    edition, target.district, target.neighbourhood, categories[(counter % 3) + 1], thread_id or 0, counter,
    national_id(), math.random(0, 9999999), counter % 500)
  return wrk.format("POST", "/works", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. target.token,
  }, body)
end
