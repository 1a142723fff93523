package dev.parley.tokens;

import java.util.List;

/**
 * A varied text sample for measuring the estimator against exact encodings: prose and chat in several
 * languages and scripts, code, JSON tool arguments, logs, numbers, URLs, Markdown and emoji. Written
 * for this test, so nothing in it is tuned to a tokenizer's training data. The estimator's weights were
 * fitted on {@link #all()}; {@link #holdout()} was written afterwards and never used for fitting, so
 * the error measured on it is the one to quote.
 */
final class TokenSamples {

    record Sample(String kind, String text) {
    }

    private TokenSamples() {
    }

    static List<Sample> all() {
        return List.of(
                new Sample("english prose", """
                        The old lighthouse keeper climbed the spiral stairs every evening at dusk, counting the steps \
                        under his breath as his father had done before him. There were one hundred and twelve of them, \
                        worn smooth in the middle by decades of boots. At the top he wiped the great lens with a soft \
                        cloth, checked the oil, and watched the fishing boats come home across the grey water. Nobody \
                        had asked him to keep the light burning since the automatic beacon was installed, but he did it \
                        anyway, because a harbour without a keeper felt to him like a house without a fire."""),
                new Sample("english chat", """
                        hey, quick question - can you help me rewrite my cover letter? i'm applying for a junior data \
                        analyst role and i think mine sounds way too stiff. also should i mention that i switched \
                        careers from nursing or is that a red flag? thanks a lot!!"""),
                new Sample("english technical", """
                        To reduce tail latency, the write path batches concurrent appends into a single transaction: \
                        one writer thread drains the queue, opens an immediate transaction, assigns each request its \
                        own savepoint, and commits once. Requests are acknowledged only after the commit returns, so \
                        durability is preserved while the cost of the fsync is amortised across the batch. Under \
                        contention this raises throughput by an order of magnitude without weakening isolation."""),
                new Sample("english assistant answer", """
                        Here are three ways to make the sauce less salty:

                        1. **Dilute it.** Add unsalted stock, water or a splash of cream, then simmer to thicken again.
                        2. **Balance it.** A squeeze of lemon juice or a teaspoon of sugar masks saltiness surprisingly well.
                        3. **Bulk it up.** Stir in more of the unsalted base ingredients (tomatoes, onions, beans).

                        Avoid the "raw potato" trick - it absorbs some liquid but very little salt."""),
                new Sample("short chat", "Sounds good, see you tomorrow at 9:30!"),
                new Sample("java code", """
                        public final class RateLimiter {
                            private final long capacity;
                            private final Duration refillEvery;
                            private long tokens;
                            private Instant lastRefill;

                            public synchronized boolean tryAcquire(Instant now) {
                                long periods = Duration.between(lastRefill, now).toNanos() / refillEvery.toNanos();
                                if (periods > 0) {
                                    tokens = Math.min(capacity, tokens + periods);
                                    lastRefill = lastRefill.plus(refillEvery.multipliedBy(periods));
                                }
                                if (tokens == 0) {
                                    return false;
                                }
                                tokens--;
                                return true;
                            }
                        }
                        """),
                new Sample("python code", """
                        def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
                            \"\"\"Merge overlapping closed intervals; the input need not be sorted.\"\"\"
                            merged: list[tuple[int, int]] = []
                            for start, end in sorted(intervals):
                                if merged and start <= merged[-1][1]:
                                    last_start, last_end = merged.pop()
                                    merged.append((last_start, max(last_end, end)))
                                else:
                                    merged.append((start, end))
                            return merged


                        if __name__ == "__main__":
                            print(merge_intervals([(1, 3), (2, 6), (8, 10), (15, 18), (17, 20)]))
                        """),
                new Sample("typescript code", """
                        export async function fetchWithRetry(url: string, attempts = 3): Promise<Response> {
                          let lastError: unknown;
                          for (let i = 0; i < attempts; i++) {
                            try {
                              const res = await fetch(url, { headers: { Accept: "application/json" } });
                              if (res.status === 429 || res.status >= 500) throw new Error(`retryable ${res.status}`);
                              return res;
                            } catch (err) {
                              lastError = err;
                              await new Promise((r) => setTimeout(r, 2 ** i * 250));
                            }
                          }
                          throw lastError;
                        }
                        """),
                new Sample("sql", """
                        WITH RECURSIVE path(id, parent_id, depth) AS (
                            SELECT id, parent_id, depth FROM entries WHERE session_id = $1 AND id = $2
                            UNION ALL
                            SELECT e.id, e.parent_id, e.depth FROM entries e JOIN path p ON e.id = p.parent_id
                            WHERE e.session_id = $1
                        )
                        SELECT id, depth FROM path ORDER BY depth DESC LIMIT 50;"""),
                new Sample("json tool arguments", """
                        {"location":{"city":"Lisbon","country":"PT","lat":38.7223,"lon":-9.1393},"units":"metric",\
                        "days":5,"include":["hourly","alerts","air_quality"],"language":"en-GB","timezone":"Europe/Lisbon"}"""),
                new Sample("json tool result", """
                        {
                          "orders": [
                            {"id": "ord_7f3k2", "status": "shipped", "total": 129.95, "currency": "EUR", "items": 3},
                            {"id": "ord_8a1p9", "status": "processing", "total": 42.00, "currency": "EUR", "items": 1},
                            {"id": "ord_9c4m7", "status": "delivered", "total": 310.40, "currency": "EUR", "items": 7}
                          ],
                          "next_cursor": null,
                          "has_more": false
                        }"""),
                new Sample("log lines", """
                        2025-03-14T09:21:07.118Z INFO  [http-nio-8080-exec-3] c.e.orders.OrderController - POST /api/orders 201 (48 ms)
                        2025-03-14T09:21:07.530Z WARN  [pool-2-thread-1] c.e.payments.Gateway - retrying charge ch_3Nq after timeout (attempt 2/5)
                        2025-03-14T09:21:08.002Z ERROR [pool-2-thread-1] c.e.payments.Gateway - charge failed: java.net.SocketTimeoutException: Read timed out
                        2025-03-14T09:21:08.004Z INFO  [scheduler-1] c.e.jobs.Cleanup - removed 1342 expired sessions in 211 ms"""),
                new Sample("numbers table", """
                        | quarter | revenue (EUR) | growth | margin |
                        |---------|---------------|--------|--------|
                        | Q1 2024 | 1,284,503.17  | 4.2%   | 18.9%  |
                        | Q2 2024 | 1,402,118.90  | 9.2%   | 19.4%  |
                        | Q3 2024 | 1,377,045.02  | -1.8%  | 17.6%  |
                        | Q4 2024 | 1,655,730.44  | 20.2%  | 21.3%  |"""),
                new Sample("urls and emails", """
                        Please send the signed form to contracts@northwind-example.org or upload it at \
                        https://portal.northwind-example.org/uploads?ref=NW-2024-0917&lang=en. For questions call \
                        +44 20 7946 0958 or see https://docs.northwind-example.org/faq#signing-documents."""),
                new Sample("markdown document", """
                        # Release checklist

                        ## Before tagging
                        - [ ] All CI jobs green on `main`
                        - [ ] `CHANGELOG.md` updated with user-visible changes
                        - [ ] Version bumped in `pom.xml` and `package.json`

                        ## After tagging
                        > Wait for the artifacts to appear on the mirror before announcing.

                        Run `./scripts/publish.sh --dry-run` first, then without `--dry-run`."""),
                new Sample("german prose", """
                        Am Rande des kleinen Dorfes stand eine alte Mühle, deren Flügel sich seit Jahren nicht mehr \
                        gedreht hatten. Die Kinder erzählten sich, dass dort nachts Lichter zu sehen seien, doch die \
                        Erwachsenen lachten nur darüber. Erst als der neue Lehrer im Herbst ankam und die Mühle mit \
                        seinen Schülern erkundete, fand man heraus, dass ein Imker dort heimlich seine Bienenstöcke \
                        überwinterte."""),
                new Sample("french prose", """
                        Chaque matin, la boulangère ouvrait sa boutique avant l'aube, quand la rue était encore \
                        silencieuse. L'odeur du pain chaud attirait les premiers passants : des ouvriers pressés, un \
                        vieux monsieur et son chien, parfois des étudiants qui rentraient d'une longue nuit. Elle \
                        connaissait presque tous ses clients par leur prénom et savait d'avance ce qu'ils allaient \
                        commander."""),
                new Sample("spanish chat", """
                        Hola, ¿me puedes ayudar a planificar un viaje de cuatro días por Andalucía? Me interesan \
                        Sevilla, Córdoba y Granada, prefiero ir en tren y no quiero gastar más de 600 euros en total. \
                        ¡Gracias de antemano!"""),
                new Sample("portuguese prose", """
                        A pequena livraria da esquina resistia há trinta anos às grandes cadeias. A dona, uma senhora \
                        de óculos redondos, recomendava livros a cada cliente como quem receita um remédio, e raramente \
                        se enganava."""),
                new Sample("russian prose", """
                        Поезд медленно отошёл от станции, и за окном поплыли заснеженные поля. В купе пахло чаем и \
                        свежими газетами. Пожилая женщина напротив достала из сумки вязание и, не поднимая глаз, \
                        спросила, куда я еду. Я ответил, что к брату, которого не видел почти десять лет."""),
                new Sample("greek prose", """
                        Το μικρό νησί είχε μόνο ένα καφενείο, όπου οι ψαράδες μαζεύονταν κάθε απόγευμα για να \
                        συζητήσουν τον καιρό και τα νέα της ημέρας."""),
                new Sample("arabic prose", """
                        في صباح كل يوم، كان الجد يجلس في الحديقة ويقرأ الجريدة بهدوء، بينما يلعب الأطفال حوله \
                        ويتسابقون بين الأشجار. كان يحب أن يحكي لهم قصصاً عن المدينة القديمة وأسواقها."""),
                new Sample("hebrew prose", """
                        בכל יום שישי הייתה המשפחה מתאספת סביב השולחן הגדול, והסבתא הייתה מגישה מרק חם ולחם \
                        שאפתה בעצמה."""),
                new Sample("hindi prose", """
                        गाँव के किनारे एक पुराना बरगद का पेड़ था, जिसके नीचे हर शाम बच्चे खेलते थे और बूढ़े लोग \
                        दिन भर की बातें करते थे।"""),
                new Sample("chinese prose", """
                        清晨的市场总是很热闹。卖菜的阿姨一边整理新鲜的青菜，一边和熟客聊天。旁边的小店飘出豆浆和油条的香味，\
                        排队的人越来越多。老王每天都来这里买早餐，他说这里的味道和小时候一模一样。"""),
                new Sample("japanese prose", """
                        駅前の小さな喫茶店は、朝になると近所の人たちでいっぱいになる。店主は毎朝五時に起きて、\
                        自分で焙煎したコーヒー豆を挽き、常連客の好みに合わせて一杯ずつ丁寧に淹れている。"""),
                new Sample("korean prose", """
                        비가 그친 뒤 골목길에는 물웅덩이가 곳곳에 생겼다. 아이들은 장화를 신고 뛰어다니며 \
                        웃었고, 할머니는 창문 너머로 그 모습을 바라보며 미소를 지었다."""),
                new Sample("mixed language chat", """
                        Can you translate this for my grandmother? "Ich komme am Samstag um 14 Uhr an, bitte hol \
                        mich vom Bahnhof ab." Also, how do I say 谢谢你的帮助 in German?"""),
                new Sample("emoji chat", """
                        omg we won the finals 🏆🎉🎉 the whole team is going out tonight 🍕🍻 wish you were here 😭❤️ \
                        send pics of the dog pls 🐶📸"""),
                new Sample("base64 and hex", """
                        payload=eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSIsImlhdCI6MTUxNjIzOTAyMn0 \
                        sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 \
                        uuid=3f2b8c1e-7d4a-4e9b-a6c2-0f1e2d3c4b5a"""),
                new Sample("stack trace", """
                        Exception in thread "main" java.lang.IllegalStateException: connection pool exhausted
                        	at com.example.db.Pool.borrow(Pool.java:87)
                        	at com.example.db.Repository.findById(Repository.java:42)
                        	at com.example.api.UserHandler.handle(UserHandler.java:119)
                        	at java.base/java.lang.Thread.run(Thread.java:1583)"""),
                new Sample("yaml config", """
                        server:
                          port: 8080
                          threads: virtual
                        store:
                          kind: postgres
                          url: jdbc:postgresql://127.0.0.1:5432/parley
                          pool:
                            max-size: 16
                            idle-timeout: 10m
                        quota:
                          warning: 0.75
                          critical: 0.9"""));
    }

    static List<Sample> holdout() {
        return List.of(
                new Sample("english support chat", """
                        Hi, I ordered a pair of running shoes last Tuesday (order 88231) and the tracking page still says \
                        "label created". Could you check whether they actually shipped? If not, I'd rather cancel and \
                        buy them in a shop this weekend."""),
                new Sample("english explanation", """
                        A Bloom filter answers "definitely not present" or "probably present". It hashes each key with \
                        several independent functions and sets the corresponding bits in a fixed array; a lookup checks \
                        the same bits. False positives grow with the number of keys, so size the array for the expected \
                        load and the error rate you can tolerate."""),
                new Sample("go code", """
                        func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
                        	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
                        	defer cancel()
                        	if err := s.db.PingContext(ctx); err != nil {
                        		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
                        		return
                        	}
                        	w.Header().Set("Content-Type", "application/json")
                        	_, _ = w.Write([]byte(`{"status":"ok"}`))
                        }
                        """),
                new Sample("shell session", """
                        $ kubectl get pods -n payments
                        NAME                          READY   STATUS             RESTARTS   AGE
                        api-6d8f7c9b5d-2xkqp          1/1     Running            0          3d4h
                        worker-7b4c8d6f9-lm2vn        0/1     CrashLoopBackOff   17         52m"""),
                new Sample("json schema", """
                        {"type":"object","properties":{"query":{"type":"string","description":"Search terms"},\
                        "limit":{"type":"integer","minimum":1,"maximum":50},"sort":{"enum":["relevance","date"]}},\
                        "required":["query"]}"""),
                new Sample("csv rows", """
                        date,store,sku,units,price
                        2024-11-02,LIS-01,A-1043,12,19.90
                        2024-11-02,LIS-01,B-2210,3,249.00
                        2024-11-03,OPO-02,A-1043,7,19.90"""),
                new Sample("italian chat", """
                        Ciao! Sto cercando una ricetta per il tiramisù senza uova crude, perché mia sorella è incinta. \
                        Hai qualche suggerimento? Grazie mille."""),
                new Sample("dutch prose", """
                        Op zondagochtend fietsten we langs de dijk naar het volgende dorp, waar een klein café verse \
                        appeltaart verkocht. De wind stond tegen, maar het uitzicht over de polder maakte alles goed."""),
                new Sample("ukrainian chat", """
                        Добрий день! Підкажіть, будь ласка, чи можна змінити дату поїздки, якщо квиток уже оплачено?"""),
                new Sample("chinese technical", """
                        这个接口在高并发情况下会出现超时。我们先增加了连接池的大小，然后把慢查询改成了批量读取，\
                        最后延迟从八百毫秒降到了一百二十毫秒。"""),
                new Sample("thai prose", """
                        เช้าวันนี้อากาศดีมาก ฉันจึงออกไปเดินเล่นที่สวนสาธารณะใกล้บ้าน"""),
                new Sample("emoji reactions", """
                        lol 😂😂 that's exactly what happened to me last week 🙈 anyway congrats on the new job!! 🎉🥳"""));
    }
}
