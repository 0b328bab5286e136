// Russian names of time zones (cities a person looks for: «Екатеринбург», «Пермь»…) and the
// «МСК+N» offset Russians count in, so the time-zone search finds a zone by either.
import { gmtOffset } from "./format";

export const TZ_RU: Record<string, string> = {
  "Europe/Kaliningrad": "Калининград",
  "Europe/Moscow": "Москва, Санкт-Петербург, Нижний Новгород, Казань, Ростов-на-Дону, Краснодар, Воронеж",
  "Europe/Simferopol": "Симферополь, Севастополь",
  "Europe/Kirov": "Киров",
  "Europe/Volgograd": "Волгоград",
  "Europe/Astrakhan": "Астрахань",
  "Europe/Samara": "Самара, Ижевск, Тольятти",
  "Europe/Saratov": "Саратов",
  "Europe/Ulyanovsk": "Ульяновск",
  "Asia/Yekaterinburg": "Екатеринбург, Челябинск, Уфа, Пермь, Тюмень, Оренбург, Курган",
  "Asia/Omsk": "Омск",
  "Asia/Novosibirsk": "Новосибирск",
  "Asia/Barnaul": "Барнаул",
  "Asia/Tomsk": "Томск",
  "Asia/Novokuznetsk": "Новокузнецк, Кемерово",
  "Asia/Krasnoyarsk": "Красноярск",
  "Asia/Irkutsk": "Иркутск, Улан-Удэ",
  "Asia/Chita": "Чита",
  "Asia/Yakutsk": "Якутск, Благовещенск",
  "Asia/Khandyga": "Хандыга",
  "Asia/Vladivostok": "Владивосток, Хабаровск",
  "Asia/Ust-Nera": "Усть-Нера",
  "Asia/Magadan": "Магадан",
  "Asia/Sakhalin": "Южно-Сахалинск",
  "Asia/Srednekolymsk": "Среднеколымск",
  "Asia/Kamchatka": "Петропавловск-Камчатский",
  "Asia/Anadyr": "Анадырь",
  "Europe/Minsk": "Минск",
  "Europe/Kyiv": "Киев",
  "Europe/Kiev": "Киев",
  "Europe/Chisinau": "Кишинёв",
  "Europe/Riga": "Рига",
  "Europe/Vilnius": "Вильнюс",
  "Europe/Tallinn": "Таллин",
  "Asia/Tbilisi": "Тбилиси",
  "Asia/Yerevan": "Ереван",
  "Asia/Baku": "Баку",
  "Asia/Almaty": "Алматы, Астана",
  "Asia/Tashkent": "Ташкент",
  "Asia/Bishkek": "Бишкек",
  "Asia/Dushanbe": "Душанбе",
  "Asia/Ashgabat": "Ашхабад",
  "Europe/Istanbul": "Стамбул",
  "Asia/Dubai": "Дубай",
  "Europe/London": "Лондон",
  "Europe/Berlin": "Берлин",
  "Europe/Paris": "Париж",
  "Europe/Prague": "Прага",
  "Europe/Warsaw": "Варшава",
  "Europe/Helsinki": "Хельсинки",
  "Asia/Bangkok": "Бангкок",
  "Asia/Shanghai": "Пекин, Шанхай",
  "America/New_York": "Нью-Йорк",
};

/** Hours from "GMT+05:30"; null when unknown. */
function hours(offset: string): number | null {
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(offset);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) + Number(m[3]) / 60) : null;
}

/** «МСК», «МСК+2», «МСК−1», «МСК+5:30» for a zone now; "" when the runtime does not know it. */
export function mskOffset(tz: string, at: Date = new Date()): string {
  const a = hours(gmtOffset(tz, at));
  const msk = hours(gmtOffset("Europe/Moscow", at));
  if (a == null || msk == null) return "";
  const d = a - msk;
  if (!d) return "МСК";
  const abs = Math.abs(d);
  const h = Math.floor(abs);
  const min = Math.round((abs - h) * 60);
  return "МСК" + (d > 0 ? "+" : "−") + h + (min ? ":" + String(min).padStart(2, "0") : "");
}

/** «Екатеринбург, …» and «МСК+2», the words the search looks in besides the zone's own label. */
export function tzRussian(tz: string, at: Date = new Date()): string {
  return [TZ_RU[tz] || "", mskOffset(tz, at)].filter(Boolean).join(" ");
}
