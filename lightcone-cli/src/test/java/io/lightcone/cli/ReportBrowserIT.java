package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * {@code lc report} through the shaded jar, then the page opened from its {@code file://} URL in
 * headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; their absence fails the
 * test): its sections and curves are there, the console has no error, and the browser asked the
 * network for nothing.
 */
class ReportBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;

  @Test
  void report_ofTheSample_opensOfflineInChromium_withItsSectionsAndCurves() throws Exception {
    assertThat(CHROMIUM).as("apt-get install chromium").isExecutable();
    assertThat(CHROMEDRIVER).as("apt-get install chromium-driver").isExecutable();

    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    JarLc.Run run = lc.run("run", "-C", project.toString());
    assertThat(run.exitCode()).as(run.all()).isZero();
    Path file = dir.resolve("report.html");
    JarLc.Run report = lc.run("report", "-C", project.toString(), "-o", file.toString());
    assertThat(report.exitCode()).as(report.all()).isZero();
    assertThat(report.out()).startsWith("wrote " + file);

    ChromeDriver driver = chromium(Files.createDirectory(dir.resolve("profile")));
    try {
      driver.get(file.toUri().toString());

      for (String id :
          List.of(
              "project",
              "decisions",
              "universes",
              "outputs",
              "timeline",
              "curves",
              "figures",
              "failures")) {
        assertThat(driver.findElements(By.id(id))).as("#%s", id).hasSize(1);
      }
      // Two universes in the sample; each curve has a point per universe its caption counts.
      assertThat(driver.findElements(By.cssSelector("#universes tbody tr"))).hasSize(2);
      List<WebElement> curves = driver.findElements(By.cssSelector("#curves figure.curve"));
      assertThat(curves).isNotEmpty();
      List<Integer> sizes = new ArrayList<>();
      for (WebElement curve : curves) {
        String caption = curve.findElement(By.tagName("figcaption")).getText();
        java.util.regex.Matcher n =
            java.util.regex.Pattern.compile(": (\\d+) universes? whose").matcher(caption);
        assertThat(n.find()).as(caption).isTrue();
        int universes = Integer.parseInt(n.group(1));
        sizes.add(universes);
        WebElement svg = curve.findElement(By.tagName("svg"));
        assertThat(svg.findElements(By.cssSelector("g[id$='-points'] path")))
            .as(caption)
            .hasSize(universes);
        assertThat(svg.findElements(By.cssSelector("g[id$='-marks'] path"))).isNotEmpty();
        assertThat(svg.getSize().getWidth()).isPositive();
        // Styles are classes in the chart's own <style>: the browser applies them (a point is
        // filled as its class, or its group's, says, not with SVG's default black).
        WebElement point = svg.findElement(By.cssSelector("g[id$='-points'] path"));
        @SuppressWarnings("unchecked")
        List<String> fill =
            (List<String>)
                ((JavascriptExecutor) driver)
                    .executeScript(
                        "var e=arguments[0],k=e;while(k&&!k.getAttribute('class'))k=k.parentElement;"
                            + "if(!k)return null;var c='.'+k.getAttribute('class');"
                            + "for(const s of document.styleSheets)for(const r of s.cssRules)"
                            + "if(r.selectorText===c)return [r.style.fill,getComputedStyle(e).fill];"
                            + "return null;",
                        point);
        assertThat(fill).as(caption + ": the point's class has a rule").isNotNull();
        assertThat(fill.get(0)).as(caption).isNotEmpty().isNotEqualTo("rgb(0, 0, 0)");
        assertThat(fill.get(1)).as(caption).isEqualTo(fill.get(0));
      }
      assertThat(sizes).contains(2);
      assertThat(driver.findElements(By.cssSelector("#timeline svg"))).hasSize(1);
      // The sample's figure outputs are embedded, and the browser decoded them.
      List<WebElement> images = driver.findElements(By.cssSelector("#figures img"));
      assertThat(images).isNotEmpty();
      for (WebElement image : images) {
        assertThat(
                (Boolean)
                    ((JavascriptExecutor) driver)
                        .executeScript(
                            "return arguments[0].complete && arguments[0].naturalWidth > 0", image))
            .as(image.getAttribute("alt"))
            .isTrue();
      }

      // The inline script works: filtering the universes table hides the other row.
      driver.findElement(By.cssSelector("#universes input.filter")).sendKeys("robust");
      assertThat(
              driver.findElements(By.cssSelector("#universes tbody tr")).stream()
                  .filter(WebElement::isDisplayed)
                  .map(r -> r.findElement(By.tagName("td")).getText()))
          .containsExactly("robust_v_band");

      List<String> severe = new ArrayList<>();
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
        if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
          severe.add(e.getMessage());
        }
      }
      assertThat(severe).as("console errors and warnings").isEmpty();

      // Every request the page made (DevTools' Network events) is the file itself or a data: URL,
      // and the browser as a whole (its start page included) went to no network address.
      ObjectMapper json = new ObjectMapper();
      String url = driver.getCurrentUrl();
      List<String> all = new ArrayList<>();
      List<String> ours = new ArrayList<>();
      for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
        JsonNode message = json.readTree(e.getMessage()).path("message");
        if (message.path("method").asText().equals("Network.requestWillBeSent")) {
          String requested = message.path("params").path("request").path("url").asText();
          all.add(requested);
          if (message.path("params").path("documentURL").asText().equals(url)) {
            ours.add(requested);
          }
        }
      }
      assertThat(ours).contains(url).allMatch(u -> u.startsWith("file:") || u.startsWith("data:"));
      assertThat(all).noneMatch(u -> u.matches("(?i)(https?|wss?|ftp):.*"));
      Object resources =
          ((JavascriptExecutor) driver)
              .executeScript(
                  "return performance.getEntriesByType('resource').map(function(e){return"
                      + " e.name})");
      assertThat((List<?>) resources)
          .allSatisfy(u -> assertThat(u.toString()).matches("(data|file):.*"));
    } finally {
      driver.quit();
    }
  }

  private static ChromeDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
