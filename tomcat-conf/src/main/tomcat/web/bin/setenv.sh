# Sourced by catalina.sh. Lets the XML files of this CATALINA_BASE read ${TIERLINE_...} environment
# variables (with the defaults written beside each use), so that no secret sits on a command line.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.util.digester.PROPERTY_SOURCE=org.apache.tomcat.util.digester.EnvironmentPropertySource"
