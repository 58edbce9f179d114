-- One page under load, for wrk. bench/run says what to load through the environment:
--   BENCH_PATH       the address, e.g. /journal/
--   BENCH_EXPECT     the one status every answer must have (200, or 303 after a post)
--   BENCH_COOKIE     the session and CSRF cookies of the person loading the page (or empty)
--   BENCH_WRITE      empty for a GET, else "submit", "autosave" or "acknowledge"
--   BENCH_WRITERS    for writes: a file of "sessionid csrftoken" lines, one per writer
--   BENCH_THREADS    wrk's thread count, so each thread takes its own writers
--   BENCH_ORIGIN     the origin the app sees (https, as behind the clinic's proxy)
-- Every answer with another status is counted; bench/run fails the page if there is one.
-- Writes rotate over the writers, so each request stores a new entry, autosaves new words
-- into that writer's draft, or acknowledges the next consent section of that writer.

local path = os.getenv("BENCH_PATH")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local cookie = os.getenv("BENCH_COOKIE") or ""
local write = os.getenv("BENCH_WRITE") or ""
local writers_file = os.getenv("BENCH_WRITERS") or ""
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
local origin = os.getenv("BENCH_ORIGIN") or "https://127.0.0.1:8801"
local sections = tonumber(os.getenv("BENCH_SECTIONS") or "11")

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function uuid4()
  local hex = {}
  for i = 1, 16 do
    local byte = math.random(0, 255)
    if i == 7 then byte = (byte % 16) + 64 end    -- version 4
    if i == 9 then byte = (byte % 64) + 128 end   -- RFC 4122 variant
    hex[i] = string.format("%02x", byte)
  end
  local s = table.concat(hex)
  return s:sub(1, 8) .. "-" .. s:sub(9, 12) .. "-" .. s:sub(13, 16) .. "-" ..
    s:sub(17, 20) .. "-" .. s:sub(21, 32)
end

local sentences = {
  "A calm morning.", "I noticed my breath slowing down.", "The music stayed with me.",
  "Work felt lighter today.", "I walked by the river.", "Some sadness, and some relief.",
}

function init(args)
  bad = 0
  first_bad = 0
  sent = 0
  math.randomseed(os.time() * 100 + id)
  writers = {}
  if write ~= "" then
    local index = 0
    for line in io.lines(writers_file) do
      local session, csrf = line:match("^(%S+)%s+(%S+)$")
      if session then
        -- Each thread takes every n-th writer: two threads never write as the same person.
        if index % thread_count == id then
          table.insert(writers, {session = session, csrf = csrf, draft = uuid4()})
        end
        index = index + 1
      end
    end
  end
end

local function post(writer, target, body, extra)
  local headers = {
    ["X-Forwarded-Proto"] = "https",
    ["Cookie"] = "sessionid=" .. writer.session .. "; csrftoken=" .. writer.csrf,
    ["X-CSRFToken"] = writer.csrf,
    ["Origin"] = origin,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  for name, value in pairs(extra or {}) do headers[name] = value end
  return wrk.format("POST", target, headers, body)
end

local function words()
  return (sentences[math.random(#sentences)] .. " " .. sentences[math.random(#sentences)])
    :gsub(" ", "+"):gsub(",", "%%2C")
end

function request()
  sent = sent + 1
  if write == "" then
    local headers = {["X-Forwarded-Proto"] = "https"}
    if cookie ~= "" then headers["Cookie"] = cookie end
    return wrk.format("GET", path, headers)
  end
  local writer = writers[(sent - 1) % #writers + 1]
  if write == "submit" then
    -- A new draft key each time, as a fresh writing page has: one new entry per request.
    return post(writer, path, "draft_key=" .. uuid4() .. "&intent=submit&body=" .. words() ..
      "&mood=" .. math.random(0, 10) .. "&anxiety=" .. math.random(0, 10) .. "&is_shared=False")
  elseif write == "autosave" then
    -- htmx posts the form every few seconds while the patient types: the same draft,
    -- new words.
    return post(writer, path, "draft_key=" .. writer.draft .. "&intent=autosave&body=" ..
      words() .. "+" .. sent, {["HX-Request"] = "true", ["HX-Target"] = "draft-status"})
  else
    -- Each writer acknowledges section 1, then 2, ...: a round over all writers lies
    -- between two sections of one, so the previous one is always stored first.
    local position = math.floor((sent - 1) / #writers) + 1
    if position > sections then position = sections end
    return post(writer, "/consent/step/" .. position .. "/acknowledge/", "confirmed=on")
  end
end

function response(status, headers, body)
  if status ~= expect then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local unexpected, first = 0, 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + thread:get("bad")
    if first == 0 then first = thread:get("first_bad") end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"unexpected": %d, "first_unexpected": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    unexpected, first, errors.connect + errors.read + errors.write + errors.timeout))
end
